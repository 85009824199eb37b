/**
 * The example personnummer an operator or a client copies from the README or from Swagger must
 * pass the service's own check: an example that fails it answers 400.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalisePersonalNumber } from '@kundportal/kernel';

const ROOT = resolve(__dirname, '..', '..');
const DTO = join(ROOT, 'apps/portal-api/src/dto');
const FILES = ['README.md', 'deploy/README.md', ...readdirSync(DTO).map((f) => join('apps/portal-api/src/dto', f))];
/** Twelve digits that start with a date: what a personnummer looks like. */
const LOOKS_LIKE = /\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{4}\b/g;

describe('example personnummer in the README and the OpenAPI examples', () => {
  const examples = FILES.flatMap((file) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(LOOKS_LIKE)].map((m) => ({ file, example: m[0] })));

  it('finds some', () => {
    expect(examples.length).toBeGreaterThan(1);
  });

  it('are valid (check digit included)', () => {
    for (const { file, example } of examples) expect({ file, example, valid: normalisePersonalNumber(example) !== null }).toEqual({ file, example, valid: true });
  });
});
