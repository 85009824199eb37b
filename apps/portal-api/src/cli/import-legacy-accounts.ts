/**
 * Bulk import of old-portal accounts from a CSV file, through the API (`POST /legacy-accounts`), so
 * every rule and e-mail applies and it works against any deployment. An account's id comes from its
 * username, so running the same file again changes nothing (those rows count as already there).
 *
 *   node dist/apps/portal-api/src/cli/import-legacy-accounts.js [--api URL] (--token TOKEN | --dev-staff PNR) FILE.csv
 *
 * Columns (header row): username,name,email,organisationNumber,roles — roles separated by ';'.
 * Each row is reported as it goes, a refused one with the reason and the fields at fault. What
 * stops the whole import (no file, a wrong header, a refused token, an API that does not answer)
 * is said in one line, once. Exit codes: 0 all imported or already there, 1 some rows refused,
 * 2 wrong usage, 3 the import could not run.
 */
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';

export interface ImportOptions {
  api: string;
  token: string;
  file: string;
  log?: (line: string) => void;
}

export interface RefusedRow {
  line: number;
  username: string;
  status: number;
  code: string;
  message: string;
  details: Array<{ field: string; message: string }>;
}

export interface ImportSummary {
  rows: number;
  imported: number;
  unchanged: number;
  refused: RefusedRow[];
}

/** The import cannot go on at all: said once, not for every row. */
export class ImportAborted extends Error {}

const COLUMNS = ['username', 'name', 'email', 'organisationNumber', 'roles'];

export async function importLegacyAccounts(options: ImportOptions): Promise<ImportSummary> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const summary: ImportSummary = { rows: 0, imported: 0, unchanged: 0, refused: [] };
  await access(options.file).catch((error: NodeJS.ErrnoException) => {
    throw new ImportAborted(`cannot read ${options.file} (${error.code ?? error.message})`);
  });
  const parser = createReadStream(options.file).pipe(
    parse({
      columns: (header: string[]) => {
        const missing = COLUMNS.filter((c) => !header.includes(c));
        if (missing.length > 0) {
          throw new ImportAborted(`${options.file}: the header row lacks ${missing.join(', ')} (expected ${COLUMNS.join(',')}; found ${header.join(',')})`);
        }
        return header;
      },
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }),
  );
  const endpoint = `${options.api.replace(/\/$/, '')}/legacy-accounts`;
  let line = 1;
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      line += 1;
      summary.rows += 1;
      const body = {
        username: row.username,
        name: row.name,
        email: row.email,
        organisationNumber: row.organisationNumber,
        roles: row.roles.split(/[;,\s]+/).filter(Boolean),
      };
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new ImportAborted(`cannot reach the API at ${options.api} (${cause}); stopped at line ${line}`);
      }
      const answer = (await response.json().catch(() => ({}))) as {
        imported?: boolean;
        code?: string;
        message?: string;
        details?: Array<{ field: string; message: string }>;
      };
      if (response.status === 401 || response.status === 403) {
        throw new ImportAborted(`the API refused the token (${response.status} ${answer.code ?? ''}): ${answer.message ?? ''} Use a staff token.`.replace(/\s+/g, ' '));
      }
      if (response.ok) {
        const already = answer.imported === false;
        if (already) summary.unchanged += 1;
        else summary.imported += 1;
        log(`line ${line} (${row.username}): ${already ? 'already there' : 'imported'}`);
        continue;
      }
      const refused: RefusedRow = {
        line,
        username: row.username,
        status: response.status,
        code: answer.code ?? 'ERROR',
        message: answer.message ?? '',
        details: answer.details ?? [],
      };
      summary.refused.push(refused);
      const fields = refused.details.map((d) => `${d.field} ${d.message}`).join('; ');
      log(`line ${line} (${row.username}): refused, ${refused.status} ${refused.code} ${refused.message}${fields ? ` (${fields})` : ''}`);
    }
  } finally {
    parser.destroy();
  }
  log(`${summary.rows} rows: ${summary.imported} imported, ${summary.unchanged} already there, ${summary.refused.length} refused`);
  return summary;
}

async function devStaffToken(api: string, personalNumber: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${api.replace(/\/$/, '')}/auth/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personalNumber, method: 'bankid', name: 'Legacy import', staff: true }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new ImportAborted(`cannot reach the API at ${api} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`);
  }
  if (!response.ok) throw new ImportAborted(`dev sign-in at ${api} answered ${response.status} (is AUTH_MODE=dev, and --dev-staff a valid personnummer?)`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

const USAGE = 'usage: import-legacy-accounts [--api URL] (--token TOKEN | --dev-staff PERSONNUMMER) FILE.csv';

/** Runs the command; answers its exit code. Output goes through `out` and `err`, one line each. */
type Print = (line: string) => void;

export async function main(
  argv: string[],
  out: Print = (line) => void process.stdout.write(`${line}\n`),
  err: Print = (line) => void process.stderr.write(`${line}\n`),
): Promise<number> {
  let values: { api?: string; token?: string; 'dev-staff'?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { api: { type: 'string' }, token: { type: 'string' }, 'dev-staff': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    }));
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const token = values.token ?? process.env.KUNDPORTAL_TOKEN;
  if (positionals.length !== 1 || (!token && !values['dev-staff'])) {
    err(positionals.length !== 1 ? `give exactly one CSV file\n${USAGE}` : `give --token (or KUNDPORTAL_TOKEN) or --dev-staff\n${USAGE}`);
    return 2;
  }
  const api = values.api ?? process.env.KUNDPORTAL_API ?? 'http://localhost:3000';
  try {
    const summary = await importLegacyAccounts({ api, token: token ?? (await devStaffToken(api, values['dev-staff'] as string)), file: positionals[0], log: out });
    return summary.refused.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ImportAborted) {
      err(`import stopped: ${error.message}`);
      return 3;
    }
    err(`import failed: ${error instanceof Error ? error.message : String(error)}`);
    return 3;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
