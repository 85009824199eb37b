import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets the embedded mode makes for itself on first start and keeps in DATA_DIR, so tokens and
 * digests stay valid across restarts. Production passes them in the environment instead.
 */
export function loadOrCreateSecret<T>(dataDir: string, name: string, create: () => T): T {
  const file = join(dataDir, 'secrets', `${name}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = create();
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  // Linked, not renamed, into place: of two processes starting on one DATA_DIR the first one's
  // secret stays, and the other reads it (a rename would let the second replace it).
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

const REMEMBERED_DIGESTS = 10_000;

/**
 * A personnummer never appears in clear in events or stream names: they hold this keyed digest,
 * which matches a person without revealing them.
 */
export class PersonalNumberDigest {
  /**
   * Digests made lately: every request of an e-ID user finds their account by the digest, and an
   * HMAC costs more than the lookup it serves. A digest never changes for a given key.
   */
  private readonly made = new Map<string, string>();

  constructor(private readonly key: string) {}

  /** The service's one secret, as given; other keys are derived from it. */
  get secret(): string {
    return this.key;
  }

  static fromConfig(dataDir: string, key: string | undefined): PersonalNumberDigest {
    return new PersonalNumberDigest(key ?? loadOrCreateSecret(dataDir, 'personal-number-key', () => randomBytes(32).toString('hex')));
  }

  of(personalNumber: string): string {
    let digest = this.made.get(personalNumber);
    if (digest === undefined) {
      digest = createHmac('sha256', this.key).update(personalNumber).digest('hex').slice(0, 40);
      if (this.made.size >= REMEMBERED_DIGESTS) this.made.delete(this.made.keys().next().value as string);
      this.made.set(personalNumber, digest);
    }
    return digest;
  }
}

export const PERSONAL_NUMBER_DIGEST = Symbol('PersonalNumberDigest');

/**
 * Single-use links (password reset, account verification) carry `<id>.<mac>`: events store only the
 * id, which is useless without the server's key, so no usable token is ever in the log.
 */
export class SecretTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('kundportal:single-use-tokens').digest();
  }

  issue(id: string): string {
    return `${id}.${this.mac(id)}`;
  }

  /** The id the token was issued for, or null when it was not issued by this service. */
  verify(token: unknown): string | null {
    if (typeof token !== 'string' || token.length > 200) return null;
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return null;
    const id = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(id));
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
  }

  private mac(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url');
  }
}

export const SECRET_TOKENS = Symbol('SecretTokens');
