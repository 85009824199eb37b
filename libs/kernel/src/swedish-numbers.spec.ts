import { maskPersonalNumber, normaliseOrganisationNumber, normalisePersonalNumber } from './swedish-numbers';

/** An independent Luhn check over the last ten digits, to keep the fixtures honest. */
function luhn(digits: string): boolean {
  const ten = digits.replace(/\D/g, '').slice(-10);
  const sum = [...ten].reduce((acc, c, i) => {
    const d = Number(c) * (i % 2 === 0 ? 2 : 1);
    return acc + Math.floor(d / 10) + (d % 10);
  }, 0);
  return sum % 10 === 0;
}

describe('normalisePersonalNumber', () => {
  it.each([
    ['191212121212', '191212121212'], // Skatteverket's example
    ['199001011239', '199001011239'],
    ['20000229-1235', '200002291235'], // 29 February in a leap year divisible by 400
    ['20240229-1237', '202402291237'],
    ['19460808-1115', '194608081115'],
    ['18500101-1237', '185001011237'],
    [' 19900101-1239 ', '199001011239'], // surrounding blanks
    ['19121212+1212', '191212121212'], // the "over 100" separator
  ])('accepts %p as %p', (input, expected) => {
    expect(luhn(expected)).toBe(true);
    expect(normalisePersonalNumber(input)).toBe(expected);
  });

  it.each([
    ['198001612384', 'samordningsnummer: 1 January + 60'],
    ['19800191-2388', 'samordningsnummer: 31 January + 60'],
  ])('accepts the samordningsnummer %p (%s)', (input) => {
    expect(luhn(input)).toBe(true);
    expect(normalisePersonalNumber(input)).toBe(input.replace('-', ''));
  });

  it.each(['191212121213', '191212121211', '19900101-1230', '198001612385'])('refuses %p: wrong check digit', (input) => {
    expect(luhn(input)).toBe(false);
    expect(normalisePersonalNumber(input)).toBeNull();
  });

  it.each([
    ['202202301236', '30 February'],
    ['202302291238', '29 February outside a leap year'],
    ['190002291235', '29 February 1900 (not a leap year)'],
    ['202304311232', '31 April'],
    ['199013011235', 'month 13'],
    ['199000011230', 'month 00'],
    ['199001001230', 'day 00'],
    ['199001321232', 'day 32'],
    ['198001601239', 'day 60 (samordningsnummer for day 0)'],
    ['198001921231', 'samordningsnummer for 32 January'],
    ['198002911231', 'samordningsnummer for 31 February'],
    ['184912311232', 'a year before 1850'],
  ])('refuses %p: %s, even with a valid check digit', (input) => {
    expect(luhn(input)).toBe(true);
    expect(normalisePersonalNumber(input)).toBeNull();
  });

  it.each([
    ['', 'empty'],
    ['9001011239', 'ten digits (YYMMDDNNNC)'],
    ['900101-1239', 'ten digits with hyphen'],
    ['19900101123', 'eleven digits'],
    ['1990010112390', 'thirteen digits'],
    ['1990010-11239', 'hyphen in the wrong place'],
    ['19900101--1239', 'two hyphens'],
    ['19900101 1239', 'blank instead of hyphen'],
    ['19900101-123X', 'a letter'],
    ['１９９００１０１１２３９', 'full-width digits'],
  ])('refuses %p: %s', (input) => {
    expect(normalisePersonalNumber(input)).toBeNull();
  });

  it.each([[199001011239], [null], [undefined], [{}], [['199001011239']], [true]])('refuses the non-string %p', (input) => {
    expect(normalisePersonalNumber(input)).toBeNull();
  });
});

describe('normaliseOrganisationNumber', () => {
  it.each([
    ['212000-0142', '212000-0142'],
    ['2120000142', '212000-0142'],
    ['556016-0680', '556016-0680'],
    ['5560160680', '556016-0680'],
    ['202100-5448', '202100-5448'],
    [' 556016-0680 ', '556016-0680'],
  ])('accepts %p as %p', (input, expected) => {
    expect(luhn(expected)).toBe(true);
    expect(normaliseOrganisationNumber(input)).toBe(expected);
  });

  it.each(['212000-0143', '556016-0681', '5560160689', '202100-5447'])('refuses %p: wrong check digit', (input) => {
    expect(luhn(input)).toBe(false);
    expect(normaliseOrganisationNumber(input)).toBeNull();
  });

  it.each([
    ['551000-0002', 'third digit 1'],
    ['5010000007', 'third digit 1, no hyphen'],
    ['900101-1239', 'a personnummer (third digit 0)'],
  ])('refuses %p: %s, even with a valid check digit', (input) => {
    expect(luhn(input)).toBe(true);
    expect(normaliseOrganisationNumber(input)).toBeNull();
  });

  it.each([
    ['', 'empty'],
    ['556016068', 'nine digits'],
    ['55601606800', 'eleven digits'],
    ['16556016-0680', 'with the 16 prefix'],
    ['5560-160680', 'hyphen in the wrong place'],
    ['556016+0680', 'plus instead of hyphen'],
    ['556016 0680', 'blank instead of hyphen'],
    ['556O16-0680', 'a letter O'],
  ])('refuses %p: %s', (input) => {
    expect(normaliseOrganisationNumber(input)).toBeNull();
  });

  it.each([[5560160680], [null], [undefined], [{}], [false]])('refuses the non-string %p', (input) => {
    expect(normaliseOrganisationNumber(input)).toBeNull();
  });
});

describe('maskPersonalNumber', () => {
  it('keeps the date of birth and hides the last four digits', () => {
    expect(maskPersonalNumber('199001011239')).toBe('19900101-****');
    expect(maskPersonalNumber('198001612384')).toBe('19800161-****');
  });

  it('masks the hyphenated form the same way', () => {
    expect(maskPersonalNumber('19900101-1239')).toBe('19900101-****');
  });

  it('hides anything too short to be a personnummer entirely', () => {
    expect(maskPersonalNumber('')).toBe('****');
    expect(maskPersonalNumber('1234567')).toBe('****');
  });
});
