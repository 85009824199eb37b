import { createHash } from 'node:crypto';

/**
 * A UUID derived from names: the same inputs give the same id, so a step retried after a crash
 * (approve an application → register its organisation) lands on the same stream.
 */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
