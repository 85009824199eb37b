import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../apps/portal-web/src/shared/i18n/en';
import { sv } from '../../apps/portal-web/src/shared/i18n/sv';

const SOURCE = join(__dirname, '../../apps/portal-web/src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

function has(resources: unknown, key: string): boolean {
  let node = resources as Record<string, unknown> | string | undefined;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return false;
    // i18next plurals: `badge` is found as `badge_one` / `badge_other`.
    node = (node[part] ?? node[`${part}_other`]) as Record<string, unknown> | string | undefined;
  }
  return typeof node === 'string';
}

function leaves(resources: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(resources).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : leaves(value as Record<string, unknown>, `${prefix}${key}.`)));
}

describe('portal texts', () => {
  const keys = [...new Set(files(SOURCE).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1])))];

  it('every key the UI uses has a Swedish and an English text', () => {
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.filter((key) => !has(sv, key))).toEqual([]);
    expect(keys.filter((key) => !has(en, key))).toEqual([]);
  });

  it('Swedish and English have the same keys, none of them empty', () => {
    expect(leaves(en).sort()).toEqual(leaves(sv).sort());
    expect(leaves(sv).filter((key) => !has(sv, key) || key.endsWith('.'))).toEqual([]);
  });

  it('the check finds a key missing from the texts', () => {
    expect(has(sv, 'tickets.noSuchKey')).toBe(false);
    expect(has(sv, 'notices.badge')).toBe(true);
  });
});
