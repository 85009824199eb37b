/**
 * Puts a backup made by `POST /admin/backups` back into a new, empty DATA_DIR (the service stopped):
 *
 *   node dist/apps/portal-api/src/cli/restore-backup.js --data-dir /var/lib/kundportal-restored BACKUP_DIR
 *
 * Then start the service with DATA_DIR pointing there: projections catch up from the log.
 * Exit codes: 0 restored, 2 wrong usage, 3 not restored (the reason in one line).
 */
import { parseArgs } from 'node:util';
import { restoreEmbedded } from '../operations/backup';

const USAGE = 'usage: restore-backup --data-dir DIR BACKUP_DIR';

type Print = (line: string) => void;

export async function main(
  argv: string[],
  out: Print = (line) => void process.stdout.write(`${line}\n`),
  err: Print = (line) => void process.stderr.write(`${line}\n`),
): Promise<number> {
  let dataDir: string | undefined;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, allowPositionals: true });
    dataDir = parsed.values['data-dir'];
    positionals = parsed.positionals;
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!dataDir || positionals.length !== 1) {
    err(USAGE);
    return 2;
  }
  try {
    const manifest = await restoreEmbedded(positionals[0], dataDir);
    out(`restored the backup of ${manifest.takenAt} (${manifest.files.join(', ')}) into ${dataDir}`);
    return 0;
  } catch (error) {
    err(`restore stopped: ${(error as Error).message}`);
    return 3;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
