import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EmbeddedEventStore } from '@kundportal/eventstore';
import { EmbeddedReadStore } from '@kundportal/readstore';

/** What a backup of an embedded deployment holds, by file or folder name inside the backup directory. */
const READ_MODELS = 'readmodels.sqlite';
const SECRETS = 'secrets';
const ATTACHMENTS = 'attachments';
/** Written last: a backup directory without it is incomplete. */
export const BACKUP_MANIFEST = 'backup.json';

export interface BackupManifest {
  takenAt: string;
  files: string[];
}

/**
 * Backs up a running embedded deployment into `target` (a new directory): the read models first
 * and then the event log, each with SQLite's online backup, so the log copy holds at least every
 * event the read-model copy has seen (projections catch up after a restore, never the reverse);
 * then the attachments the log refers to, and the secrets (the personnummer key and the token
 * signing key: without them the restored log names nobody and every token is refused).
 */
export async function backUpEmbedded(events: EmbeddedEventStore, reads: EmbeddedReadStore, dataDir: string, target: string, now: Date): Promise<BackupManifest> {
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  // A new directory each time: a backup never overwrites another.
  await mkdir(target, { recursive: false, mode: 0o700 });
  await reads.backup(join(target, READ_MODELS));
  await events.backup(join(target, basename(events.file)));
  const files = [READ_MODELS, basename(events.file)];
  for (const folder of [ATTACHMENTS, SECRETS]) {
    if (!(await exists(join(dataDir, folder)))) continue;
    await cp(join(dataDir, folder), join(target, folder), { recursive: true, filter: (source) => basename(source) !== '.tmp' });
    files.push(folder);
  }
  const manifest: BackupManifest = { takenAt: now.toISOString(), files };
  await writeFile(join(target, BACKUP_MANIFEST), JSON.stringify(manifest, null, 2), { mode: 0o600 });
  return manifest;
}

/**
 * Restores a backup into `dataDir`, which must hold no event log yet (restore into a new,
 * empty directory and point DATA_DIR at it; the service must not be running on it).
 */
export async function restoreEmbedded(backup: string, dataDir: string): Promise<BackupManifest> {
  const manifestFile = join(backup, BACKUP_MANIFEST);
  if (!(await exists(manifestFile))) throw new Error(`${backup} is not a complete backup (no ${BACKUP_MANIFEST})`);
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BackupManifest;
  await mkdir(dataDir, { recursive: true });
  const present = await readdir(dataDir);
  const clash = manifest.files.filter((file) => present.includes(file));
  if (clash.length > 0) throw new Error(`${dataDir} already holds ${clash.join(', ')}: restore into an empty directory`);
  for (const file of manifest.files) await cp(join(backup, file), join(dataDir, file), { recursive: true, errorOnExist: true, force: false });
  return manifest;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
