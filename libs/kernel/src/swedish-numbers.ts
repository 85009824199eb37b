/**
 * Swedish personnummer (12 digits, YYYYMMDDNNNC; samordningsnummer has day + 60) and
 * organisationsnummer (10 digits, NNNNNN-NNNN), both ending in a Luhn check digit over
 * the last ten digits.
 */

function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = tenDigits.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Accepts `YYYYMMDDNNNC`, `YYYYMMDD-NNNC`; returns the 12 digits, or null when invalid. */
export function normalisePersonalNumber(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const m = /^(\d{8})[-+]?(\d{4})$/.exec(input.trim());
  if (!m) return null;
  const digits = m[1] + m[2];
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  let day = Number(digits.slice(6, 8));
  if (day > 60) day -= 60; // samordningsnummer
  if (year < 1850 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return luhnValid(digits.slice(2)) ? digits : null;
}

/** Accepts `NNNNNN-NNNN` or `NNNNNNNNNN`; returns `NNNNNN-NNNN`, or null when invalid. */
export function normaliseOrganisationNumber(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const m = /^(\d{6})-?(\d{4})$/.exec(input.trim());
  if (!m) return null;
  const digits = m[1] + m[2];
  // The third digit of an organisationsnummer is at least 2, which keeps it apart from a personnummer.
  if (Number(digits[2]) < 2) return null;
  return luhnValid(digits) ? `${m[1]}-${m[2]}` : null;
}

/** For logs: never the full personnummer. */
export function maskPersonalNumber(pnr: string): string {
  return pnr.length >= 8 ? `${pnr.slice(0, 8)}-****` : '****';
}
