/**
 * Bulk import of old-portal accounts from a CSV file, through the API (`POST /legacy-accounts`), so
 * every rule and e-mail applies and it works against any deployment. An account's id comes from its
 * username, so running the same file again changes nothing (those rows count as already there).
 *
 *   node dist/apps/portal-api/src/cli/import-legacy-accounts.js [--api URL] (--token TOKEN | --dev-staff PNR) FILE.csv
 *
 * Columns (header row): username,name,email,organisationNumber,roles — roles separated by ';'.
 */
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';

export interface ImportOptions {
  api: string;
  token: string;
  file: string;
  log?: (line: string) => void;
}

export interface ImportSummary {
  rows: number;
  imported: number;
  unchanged: number;
  refused: Array<{ line: number; username: string; status: number; code: string; message: string }>;
}

const COLUMNS = ['username', 'name', 'email', 'organisationNumber', 'roles'];

export async function importLegacyAccounts(options: ImportOptions): Promise<ImportSummary> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const summary: ImportSummary = { rows: 0, imported: 0, unchanged: 0, refused: [] };
  const parser = createReadStream(options.file).pipe(parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }));
  let line = 1;
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    line += 1;
    summary.rows += 1;
    const missing = COLUMNS.filter((c) => row[c] === undefined);
    if (missing.length > 0) {
      summary.refused.push({ line, username: row.username ?? '', status: 0, code: 'MISSING_COLUMNS', message: `missing ${missing.join(', ')}` });
      continue;
    }
    const body = {
      username: row.username,
      name: row.name,
      email: row.email,
      organisationNumber: row.organisationNumber,
      roles: row.roles.split(/[;,\s]+/).filter(Boolean),
    };
    const response = await fetch(`${options.api.replace(/\/$/, '')}/legacy-accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => ({}))) as { imported?: boolean; code?: string; message?: string };
    if (response.ok) {
      if (answer.imported === false) summary.unchanged += 1;
      else summary.imported += 1;
    } else {
      summary.refused.push({ line, username: row.username, status: response.status, code: answer.code ?? 'ERROR', message: answer.message ?? '' });
      log(`line ${line} (${row.username}): ${response.status} ${answer.code ?? ''} ${answer.message ?? ''}`);
    }
  }
  log(`${summary.rows} rows: ${summary.imported} imported, ${summary.unchanged} already there, ${summary.refused.length} refused`);
  return summary;
}

async function devStaffToken(api: string, personalNumber: string): Promise<string> {
  const response = await fetch(`${api.replace(/\/$/, '')}/auth/dev/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ personalNumber, method: 'bankid', name: 'Legacy import', staff: true }),
  });
  if (!response.ok) throw new Error(`dev sign-in failed: ${response.status} (is AUTH_MODE=dev?)`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function main(argv: string[]): Promise<number> {
  const args = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) args.set(argv[i].slice(2), argv[++i] ?? '');
    else files.push(argv[i]);
  }
  const api = args.get('api') ?? process.env.KUNDPORTAL_API ?? 'http://localhost:3000';
  if (files.length !== 1 || (!args.has('token') && !args.has('dev-staff') && !process.env.KUNDPORTAL_TOKEN)) {
    process.stderr.write('usage: import-legacy-accounts [--api URL] (--token TOKEN | --dev-staff PERSONNUMMER) FILE.csv\n');
    return 2;
  }
  const token = args.get('token') ?? process.env.KUNDPORTAL_TOKEN ?? (await devStaffToken(api, args.get('dev-staff') as string));
  const summary = await importLegacyAccounts({ api, token, file: files[0] });
  return summary.refused.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
