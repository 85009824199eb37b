import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { en, messageKey, preferredLanguage, sv, translate, translateMessage } from './index';

/**
 * Every error code, reason and message the source can answer with, and every e-mail template,
 * has its text in Swedish and in English. The source is read as text, so a code added anywhere
 * (`DomainError.rule('NEW_CODE', …)`) fails here until `sv.ts` and `en.ts` have it; the failure
 * names each missing key and where it is thrown.
 */
const ROOT = join(__dirname, '../../../..');
const SOURCES = ['apps', 'libs'].flatMap((dir) => sourceFiles(join(ROOT, dir)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'testing' || name === 'i18n' || name === 'cli' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec|d)\.ts$/.test(name) ? [path] : [];
  });
}

interface Use {
  key: string;
  at: string;
}

/** Each match of `pattern` in the sources, made into the keys it needs. */
function uses(pattern: RegExp, keys: (match: RegExpExecArray) => string[], files = SOURCES): Use[] {
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const found: Use[] = [];
    for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))) {
      const line = text.slice(0, match.index).split('\n').length;
      for (const key of keys(match as RegExpExecArray)) found.push({ key, at: `${relative(ROOT, file)}:${line}` });
    }
    return found;
  });
}

function lookup(resources: object, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), resources);
}

/** The uses whose key is missing in a language, as `sv: errors.NEW_CODE (libs/…:12)` lines. */
function missing(all: Use[], path: (key: string) => string[], languages: Record<string, object> = { sv, en }): string[] {
  const lines = new Set<string>();
  for (const [language, resources] of Object.entries(languages)) {
    for (const use of all) {
      if (typeof lookup(resources, path(use.key)) !== 'string') lines.add(`${language}: ${path(use.key).join('.')} (${use.at})`);
    }
  }
  return [...lines].sort();
}

const CODE = `'([A-Z][A-Z0-9_]*)'`;
/** A statement that throws with a code, up to the end of its line's statement, with the reasons its withParams name. */
const THROWN = new RegExp(`(?:DomainError\\.(?:rule|conflict)\\(\\s*|new AppError\\(\\s*\\d+\\s*,\\s*|super\\(\\s*\\d+\\s*,\\s*)${CODE}((?:(?!;\\s*\\n)[\\s\\S])*)`);

describe('translations', () => {
  it('has every error code thrown in the source, and every reason given to one, in Swedish and English', () => {
    const thrown = uses(THROWN, (m) => [m[1], ...[...m[2].matchAll(/context:\s*'(\w+)'/g)].map((c) => `${m[1]}_${c[1]}`)]);
    expect(thrown.length).toBeGreaterThan(50);
    expect(thrown.map((u) => u.key)).toEqual(expect.arrayContaining(['ORDER_STATE_CONFLICT', 'ORDER_STATE_CONFLICT_fulfil', 'PAYLOAD_TOO_LARGE_attachment']));
    // The codes the error filter gives to HTTP statuses and to framework errors.
    const mapped = uses(/'([A-Z]{3,}(?:_[A-Z]+)*)'/, (m) => [m[1]], [join(ROOT, 'apps/portal-api/src/http/error-body.ts')]).filter((u) => !u.key.startsWith('FST_'));
    expect(mapped.map((u) => u.key)).toEqual(expect.arrayContaining(['NOT_FOUND', 'INTERNAL_ERROR', 'BAD_REQUEST']));
    expect(missing([...thrown, ...mapped], (key) => ['errors', key])).toEqual([]);
  });

  it('has every reason of FORBIDDEN and UNAUTHENTICATED, and everything a NOT_FOUND names', () => {
    const reasons = uses(/new (Forbidden|Unauthenticated)\(\s*'([^']*)'/, (m) => [`${m[1] === 'Forbidden' ? 'FORBIDDEN' : 'UNAUTHENTICATED'}_${m[2]}`]);
    const things = uses(/new NotFound\(\s*'([^']*)'/, (m) => [m[1]]);
    expect(reasons.length).toBeGreaterThan(10);
    expect(things.length).toBeGreaterThan(10);
    expect([...missing(reasons, (key) => ['errors', key]), ...missing(things, (key) => ['things', key])]).toEqual([]);
  });

  it('has every message our own checks write in details in Swedish (English is the text itself)', () => {
    const messages = [
      ...uses(/message: '([^']+)'/, (m) => [m[1]]),
      ...uses(/ValidationFailed\.field\([^,]+,\s*'([^']+)'/, (m) => [m[1]]),
      ...uses(/defaultMessage: \(\) => '([^']+)'/, (m) => [m[1]]),
    ];
    expect(messages.length).toBeGreaterThan(30);
    const lines = messages.filter((use) => !(messageKey(use.key).key in sv.validationMessages)).map((use) => `sv: validationMessages['${messageKey(use.key).key}'] (${use.at})`);
    expect([...new Set(lines)].sort()).toEqual([]);
  });

  it('gives both languages the same keys, and each text the same {{parameters}} in both', () => {
    const leaves = (node: unknown, path: string[] = []): Array<[string, string]> =>
      typeof node === 'string' ? [[path.join('.'), node]] : Object.entries(node as object).flatMap(([k, v]) => leaves(v, [...path, k]));
    const { validationMessages: _sv, ...svRest } = sv;
    const { validationMessages: _en, ...enRest } = en;
    const svLeaves = new Map(leaves(svRest));
    const enLeaves = new Map(leaves(enRest));
    expect([...svLeaves.keys()].filter((k) => !enLeaves.has(k))).toEqual([]);
    expect([...enLeaves.keys()].filter((k) => !svLeaves.has(k))).toEqual([]);
    const parameters = (text: string) => [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();
    const differing = [...svLeaves].filter(([key, text]) => parameters(text).join() !== parameters(enLeaves.get(key) ?? '').join()).map(([key]) => key);
    expect(differing).toEqual([]);
    const ownDiffering = Object.entries(sv.validationMessages).filter(([key, text]) => parameters(key).join() !== parameters(text).join()).map(([key]) => key);
    expect(ownDiffering).toEqual([]);
  });

  it('has every e-mail template, subject and text, in Swedish and English, and no template writes its own text', () => {
    const file = join(ROOT, 'libs/notifications/src/templates.ts');
    const names = uses(/'([a-z]+(?:-[a-z]+)+)'/, (m) => [m[1]], [file]);
    expect(names.map((u) => u.key)).toEqual(expect.arrayContaining(['ticket-reply', 'order-to-approve', 'order-to-attest', 'account-verification']));
    const parts = names.flatMap((use) => ['subject', 'text'].map((part) => ({ key: `${use.key}|${part}`, at: use.at })));
    expect(missing(parts, (key) => ['mail', ...key.split('|')])).toEqual([]);
    const inline = uses(/(subject|text):\s*[`'"]/, (m) => [m[1]], [file]);
    expect(inline.map((u) => `${u.at}: render the ${u.key} from the translations (mail.<template>.${u.key})`)).toEqual([]);
  });

  it('fails, naming the key and the place, for a code or reason it has no text for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-i18n-'));
    const file = join(dir, 'new-rule.ts');
    writeFileSync(
      file,
      [
        "if (a) throw DomainError.conflict('ORDER_EXISTS', 'Known; with a semicolon.');",
        "if (b) throw DomainError.rule('BRAND_NEW_RULE', 'Not translated yet.').withParams({ context: 'because', limit: 3 });",
        "if (c) throw new AppError(418, 'TEAPOT', 'Short and stout.');",
        '',
      ].join('\n'),
    );
    try {
      const thrown = uses(THROWN, (m) => [m[1], ...[...m[2].matchAll(/context:\s*'(\w+)'/g)].map((c) => `${m[1]}_${c[1]}`)], [file]);
      const at = (line: number) => `${relative(ROOT, file)}:${line}`;
      expect(missing(thrown, (key) => ['errors', key])).toEqual(
        [
          `en: errors.BRAND_NEW_RULE (${at(2)})`,
          `en: errors.BRAND_NEW_RULE_because (${at(2)})`,
          `en: errors.TEAPOT (${at(3)})`,
          `sv: errors.BRAND_NEW_RULE (${at(2)})`,
          `sv: errors.BRAND_NEW_RULE_because (${at(2)})`,
          `sv: errors.TEAPOT (${at(3)})`,
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('translate', () => {
  it('interpolates, picks a reason, and falls back to the code’s own message for an unknown reason', () => {
    expect(translate('sv', 'errors:ORGANISATION_USER_LIMIT_REACHED', { limit: 5 })).toBe('Organisationen får ha högst 5 användare.');
    expect(translate('en', 'errors:ORGANISATION_USER_LIMIT_REACHED', { limit: 5 })).toBe('The organisation allows at most 5 users.');
    expect(translate('sv', 'errors:FORBIDDEN', { context: 'staffOnly' })).toBe('Bara supporten får göra detta.');
    expect(translate('sv', 'errors:FORBIDDEN', { context: 'noSuchReason' })).toBe('Du får inte göra detta.');
    expect(translate('sv', 'mail:ticket-reply.subject', { number: 'K-7', subject: '<b>&' })).toBe('[K-7] Nytt svar: <b>&');
  });

  it('finds our own detail messages by their English text, numbers as parameters', () => {
    expect(translateMessage('sv', 'must be at least 3')).toBe('måste vara minst 3');
    expect(translateMessage('sv', 'must be an ISO-8601 time, e.g. 2026-05-01T12:00:00Z')).toBe('måste vara en tidpunkt enligt ISO 8601, t.ex. 2026-05-01T12:00:00Z');
    expect(translateMessage('sv', 'a message nobody translated')).toBe('a message nobody translated');
    expect(translateMessage('en', 'must be at least 3')).toBe('must be at least 3');
  });
});

describe('preferredLanguage', () => {
  it.each([
    [undefined, 'sv'],
    ['', 'sv'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['sv-SE,sv;q=0.9,en;q=0.8', 'sv'],
    ['de-DE, en;q=0.5', 'en'],
    ['fr', 'sv'],
    ['sv;q=0.2, en;q=0.8', 'en'],
    ['en;q=0', 'sv'],
    ['*', 'sv'],
  ])('%s → %s', (header, language) => {
    expect(preferredLanguage(header)).toBe(language);
  });
});
