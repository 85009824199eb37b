/** Valid test identities: the check digit computed with the Luhn algorithm. */
function luhnDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

let serial = 0;
/**
 * One random start per test file, then consecutive numbers: distinct within a file (whose server
 * has a DATA_DIR of its own), where a fresh random number per call could repeat one already used.
 */
const start = Math.floor(Math.random() * 1e6);

/** A fresh valid personnummer (YYYYMMDDNNNC), born in 1970–1999. */
export function testPersonalNumber(): string {
  serial++;
  const n = start + serial;
  const year = 1970 + (n % 30);
  const month = String(1 + (Math.floor(n / 30) % 12)).padStart(2, '0');
  const day = String(1 + (Math.floor(n / 360) % 28)).padStart(2, '0');
  const birth = String(n % 1000).padStart(3, '0');
  const nine = `${String(year).slice(2)}${month}${day}${birth}`;
  return `${year}${month}${day}${birth}${luhnDigit(nine)}`;
}

/** A fresh valid organisationsnummer (NNNNNN-NNNN), third digit ≥ 2. */
export function testOrganisationNumber(): string {
  serial++;
  const body = `212${String((start + serial * 7919) % 1e6).padStart(6, '0')}`;
  return `${body.slice(0, 6)}-${body.slice(6)}${luhnDigit(body)}`;
}
