import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { IndexSpec } from '../read-store.port';
import type { IndexKeysImage } from './hash-index';

export const READ_MODEL_IMAGE = 'readmodels.image';
const FORMAT = 1;

/** One collection as a clean stop left it: its ids in order, and each index's keys by position in `ids`. */
export interface CollectionImage {
  name: string;
  ids: string[];
  indexes: Array<{ spec: IndexSpec; keys: IndexKeysImage }>;
}

interface ImageFile {
  format: number;
  token: string;
  collections: CollectionImage[];
}

/**
 * The in-memory part of the embedded read store (ids and indexes, not documents) as a clean stop
 * left it, so the next start need not read and index every document again.
 *
 * It is only ever used against the very file state it was made from: the stop writes it, then
 * records its token in `readmodels.sqlite` as the last write there; a start that finds the token
 * deletes it (committed) before anything else is written, then reads the image. A crash, or any
 * write after the start, leaves no token, and the next start reads the documents as before.
 */
export class ReadModelImages {
  constructor(private readonly dataDir: string) {}

  private get path(): string {
    return join(this.dataDir, READ_MODEL_IMAGE);
  }

  /** Writes the image and answers its token (record it in the read-model file last). */
  write(collections: CollectionImage[]): string {
    const token = randomUUID();
    const body = serialize({ format: FORMAT, token, collections } satisfies ImageFile);
    const temporary = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    return token;
  }

  /** The image with this token, if there is one; the file is removed either way (it is never used twice). */
  take(token: string | null): CollectionImage[] | null {
    let image: ImageFile | null = null;
    try {
      if (token !== null) image = deserialize(readFileSync(this.path)) as ImageFile;
    } catch {
      image = null; // missing or unreadable: read the documents instead
    }
    rmSync(this.path, { force: true });
    if (!image || image.format !== FORMAT || image.token !== token) return null;
    return image.collections;
  }
}
