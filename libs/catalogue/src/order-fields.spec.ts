import { fieldDefinitionProblems, normaliseOrderDetails, OrderField, validateOrderDetails } from './order-fields';

const careUnits: OrderField = { name: 'careUnits', label: 'Number of care units (vårdenheter)', type: 'integer', required: true, min: 1 };
const seats: OrderField = { name: 'seats', label: 'Seats', type: 'integer', required: false, min: 0, max: 10 };
const note: OrderField = { name: 'note', label: 'Note', type: 'string', required: false, maxLength: 5 };
const contact: OrderField = { name: 'contact', label: 'Contact', type: 'string', required: true };
const pilot: OrderField = { name: 'pilot', label: 'Pilot', type: 'boolean', required: false };
const consent: OrderField = { name: 'consent', label: 'Consent', type: 'boolean', required: true };

const fieldsOf = (problems: { field: string }[]) => problems.map((p) => p.field);

describe('validateOrderDetails', () => {
  it('accepts details that fit the fields', () => {
    expect(validateOrderDetails([careUnits], { careUnits: 3 })).toEqual([]);
    expect(validateOrderDetails([careUnits, note, pilot], { careUnits: 1, note: 'hi', pilot: false })).toEqual([]);
  });

  it('accepts an empty object when nothing is required, and no fields with no details', () => {
    expect(validateOrderDetails([seats, note, pilot], {})).toEqual([]);
    expect(validateOrderDetails([], {})).toEqual([]);
  });

  it('refuses details that are not an object, naming `details`', () => {
    for (const details of [undefined, null, 3, 'careUnits', true, [], [{ careUnits: 3 }]]) {
      expect(validateOrderDetails([careUnits], details)).toEqual([{ field: 'details', message: 'must be an object' }]);
    }
  });

  describe('required', () => {
    it('names a missing required field', () => {
      expect(validateOrderDetails([careUnits], {})).toEqual([{ field: 'details.careUnits', message: 'is required' }]);
    });

    it('counts null as missing', () => {
      expect(validateOrderDetails([careUnits], { careUnits: null })).toEqual([{ field: 'details.careUnits', message: 'is required' }]);
      expect(validateOrderDetails([seats], { seats: null })).toEqual([]);
    });

    it('requires a required boolean to be given, false being a value', () => {
      expect(fieldsOf(validateOrderDetails([consent], {}))).toEqual(['details.consent']);
      expect(validateOrderDetails([consent], { consent: false })).toEqual([]);
    });
  });

  describe('unknown keys', () => {
    it('names every key that is not a field, so nothing unknown is stored', () => {
      expect(validateOrderDetails([careUnits], { careUnits: 3, colour: 'red', extra: {} })).toEqual([
        { field: 'details.colour', message: 'is not a field of this offering' },
        { field: 'details.extra', message: 'is not a field of this offering' },
      ]);
    });

    it('names keys that would be dangerous elsewhere too', () => {
      const details = JSON.parse('{"careUnits": 3, "__proto__": {"x": 1}, "constructor": 1}');
      expect(fieldsOf(validateOrderDetails([careUnits], details))).toEqual(['details.__proto__', 'details.constructor']);
    });

    it('does not take inherited properties for fields', () => {
      const toStringField: OrderField = { name: 'toString', label: 'x', type: 'string', required: true };
      expect(fieldsOf(validateOrderDetails([toStringField], {}))).toEqual(['details.toString']);
    });
  });

  describe('integers', () => {
    it('accepts safe integers within the bounds, bounds included', () => {
      expect(validateOrderDetails([seats], { seats: 0 })).toEqual([]);
      expect(validateOrderDetails([seats], { seats: 10 })).toEqual([]);
      expect(validateOrderDetails([careUnits], { careUnits: Number.MAX_SAFE_INTEGER })).toEqual([]);
      expect(validateOrderDetails([careUnits], { careUnits: 2.0 })).toEqual([]);
    });

    it('refuses strings, fractions, non-finite and unsafe numbers, booleans and objects', () => {
      for (const careUnitsValue of ['3', '', 2.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 1, 1e21, true, {}, [3]]) {
        expect(validateOrderDetails([careUnits], { careUnits: careUnitsValue })).toEqual([{ field: 'details.careUnits', message: 'must be an integer' }]);
      }
    });

    it('respects min and max', () => {
      expect(validateOrderDetails([careUnits], { careUnits: 0 })).toEqual([{ field: 'details.careUnits', message: 'must be at least 1' }]);
      expect(validateOrderDetails([careUnits], { careUnits: -4 })).toEqual([{ field: 'details.careUnits', message: 'must be at least 1' }]);
      expect(validateOrderDetails([seats], { seats: 11 })).toEqual([{ field: 'details.seats', message: 'must be at most 10' }]);
    });

    it('has no bounds when none are given', () => {
      const any: OrderField = { name: 'n', label: 'N', type: 'integer', required: true };
      expect(validateOrderDetails([any], { n: -1_000_000 })).toEqual([]);
    });
  });

  describe('strings', () => {
    it('accepts a text, counting its length after trimming', () => {
      expect(validateOrderDetails([note], { note: '  12345  ' })).toEqual([]);
      expect(validateOrderDetails([note], { note: 'åäöÅÄ' })).toEqual([]);
    });

    it('counts characters, not UTF-16 units', () => {
      expect(validateOrderDetails([note], { note: '😀😀😀😀😀' })).toEqual([]);
    });

    it('refuses a blank text, also for an optional field', () => {
      expect(validateOrderDetails([contact], { contact: '   ' })).toEqual([{ field: 'details.contact', message: 'must not be empty' }]);
      expect(validateOrderDetails([note], { note: '' })).toEqual([{ field: 'details.note', message: 'must not be empty' }]);
    });

    it('refuses a text longer than maxLength', () => {
      expect(validateOrderDetails([note], { note: '123456' })).toEqual([{ field: 'details.note', message: 'must be at most 5 characters' }]);
    });

    it('refuses what is not a string', () => {
      for (const value of [3, true, {}, ['a']]) {
        expect(validateOrderDetails([contact], { contact: value })).toEqual([{ field: 'details.contact', message: 'must be a text' }]);
      }
    });
  });

  describe('booleans', () => {
    it('accepts true and false only', () => {
      expect(validateOrderDetails([pilot], { pilot: true })).toEqual([]);
      for (const value of ['true', 1, 0, 'false', {}]) {
        expect(validateOrderDetails([pilot], { pilot: value })).toEqual([{ field: 'details.pilot', message: 'must be true or false' }]);
      }
    });
  });

  it('names every problem at once: fields in form order, then unknown keys', () => {
    const problems = validateOrderDetails([careUnits, seats, note, contact, pilot], {
      careUnits: '3',
      seats: 99,
      note: 'too long',
      pilot: 'yes',
      other: 1,
    });
    expect(fieldsOf(problems)).toEqual(['details.careUnits', 'details.seats', 'details.note', 'details.contact', 'details.pilot', 'details.other']);
  });
});

describe('normaliseOrderDetails', () => {
  it('trims texts and leaves absent fields out', () => {
    expect(normaliseOrderDetails([careUnits, note, contact, pilot, seats], { careUnits: 3, note: ' hi ', contact: 'Kim', pilot: false, seats: null })).toEqual({
      careUnits: 3,
      note: 'hi',
      contact: 'Kim',
      pilot: false,
    });
  });
});

describe('fieldDefinitionProblems', () => {
  it('accepts the seed form and forms of every type', () => {
    expect(fieldDefinitionProblems([careUnits, seats, note, contact, pilot, consent])).toEqual([]);
    expect(fieldDefinitionProblems([])).toEqual([]);
  });

  it('refuses what is not an array of objects', () => {
    expect(fieldDefinitionProblems({})).toEqual([{ field: 'fields', message: 'must be an array' }]);
    expect(fieldsOf(fieldDefinitionProblems([null, 'x']))).toEqual(['fields.0', 'fields.1']);
  });

  it('refuses more than 50 fields', () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ ...pilot, name: `f${i}` }));
    expect(fieldsOf(fieldDefinitionProblems(many))).toEqual(['fields']);
  });

  it('refuses bad and repeated names', () => {
    expect(fieldsOf(fieldDefinitionProblems([{ ...pilot, name: '1st' }, { ...pilot, name: 'a-b' }, { ...pilot, name: '' }]))).toEqual([
      'fields.0.name',
      'fields.1.name',
      'fields.2.name',
    ]);
    expect(fieldDefinitionProblems([careUnits, { ...note, name: 'careUnits' }])).toEqual([{ field: 'fields.1.name', message: 'is the name of another field' }]);
  });

  it('refuses a blank label, an unknown type and a non-boolean required', () => {
    expect(fieldsOf(fieldDefinitionProblems([{ ...pilot, label: '  ', type: 'date', required: 'yes' }]))).toEqual([
      'fields.0.label',
      'fields.0.type',
      'fields.0.required',
    ]);
  });

  it('refuses min/max on non-integers, maxLength on non-strings, and fractional bounds', () => {
    expect(fieldsOf(fieldDefinitionProblems([{ ...note, min: 1, max: 2 }]))).toEqual(['fields.0.min', 'fields.0.max']);
    expect(fieldsOf(fieldDefinitionProblems([{ ...careUnits, maxLength: 3 }]))).toEqual(['fields.0.maxLength']);
    expect(fieldsOf(fieldDefinitionProblems([{ ...careUnits, min: 1.5 }]))).toEqual(['fields.0.min']);
    expect(fieldsOf(fieldDefinitionProblems([{ ...note, maxLength: 0 }]))).toEqual(['fields.0.maxLength']);
  });

  it('refuses min above max', () => {
    expect(fieldDefinitionProblems([{ ...seats, min: 5, max: 4 }])).toEqual([{ field: 'fields.0.max', message: 'must not be less than min' }]);
    expect(fieldDefinitionProblems([{ ...seats, min: 4, max: 4 }])).toEqual([]);
  });
});

describe('care-unit lists', () => {
  const careUnitList: OrderField = { name: 'careUnitList', label: 'Care units', type: 'care-unit-list', required: false, countField: 'careUnits' };
  const form = [careUnits, careUnitList];
  const unit = (n: number) => ({ name: `Vårdcentralen ${n}`, hsaId: `SE2321000016-${n}ABC` });

  it('accepts as many care units as careUnits says, each a name and an HSA-id; the list may be left out', () => {
    expect(validateOrderDetails(form, { careUnits: 2, careUnitList: [unit(1), unit(2)] })).toEqual([]);
    expect(validateOrderDetails(form, { careUnits: 1, careUnitList: [{ name: 'Kliniken', hsaId: 'se162321000016-o16132' }] })).toEqual([]);
    expect(validateOrderDetails(form, { careUnits: 3 })).toEqual([]);
    expect(validateOrderDetails(form, { careUnits: 3, careUnitList: null })).toEqual([]);
  });

  it('refuses a list of another length than careUnits, naming the list', () => {
    expect(validateOrderDetails(form, { careUnits: 3, careUnitList: [unit(1), unit(2)] })).toEqual([
      { field: 'details.careUnitList', message: 'must name as many care units as careUnits (3), not 2' },
    ]);
    // A bad count is named once, on the count.
    expect(fieldsOf(validateOrderDetails(form, { careUnits: 0, careUnitList: [unit(1)] }))).toEqual(['details.careUnits']);
  });

  it('refuses what is not a list of 1 to 1,000 units', () => {
    for (const value of ['SE2321000016-15CQ', {}, 3, true]) {
      expect(fieldsOf(validateOrderDetails(form, { careUnits: 1, careUnitList: value }))).toEqual(['details.careUnitList']);
    }
    expect(fieldsOf(validateOrderDetails(form, { careUnits: 1, careUnitList: [] }))).toEqual(['details.careUnitList']);
    const many = Array.from({ length: 1001 }, (_, i) => unit(i));
    expect(fieldsOf(validateOrderDetails(form, { careUnits: 1001, careUnitList: many }))).toEqual(['details.careUnitList']);
  });

  it('names each bad unit and property: blank or long names, malformed or repeated HSA-ids, unknown properties', () => {
    const problems = validateOrderDetails(form, {
      careUnits: 6,
      careUnitList: [
        { name: '  ', hsaId: 'SE2321000016-1' },
        { name: 'x'.repeat(201), hsaId: 'SE2321000016-2' },
        { name: 'A', hsaId: '2321000016-3' },
        { name: 'B', hsaId: 'se2321000016-1' },
        { name: 'C', hsaId: 'SE2321000016-4', phone: '08-123' },
        'Vårdcentralen',
      ],
    });
    expect(fieldsOf(problems)).toEqual([
      'details.careUnitList.0.name',
      'details.careUnitList.1.name',
      'details.careUnitList.2.hsaId',
      'details.careUnitList.3.hsaId',
      'details.careUnitList.4.phone',
      'details.careUnitList.5',
    ]);
    expect(problems[3].message).toBe('names a care unit already in the list');
    for (const hsaId of ['SE232100001-1', 'SE2321000016-', 'SE2321000016-1 2', 'SE2321000016-ÅÄÖ', 'DK2321000016-1', 12]) {
      expect(fieldsOf(validateOrderDetails(form, { careUnits: 1, careUnitList: [{ name: 'A', hsaId }] }))).toEqual(['details.careUnitList.0.hsaId']);
    }
  });

  it('stores trimmed names and HSA-ids in capitals', () => {
    expect(normaliseOrderDetails(form, { careUnits: 1, careUnitList: [{ name: ' Kliniken ', hsaId: ' se2321000016-15cq ' }] })).toEqual({
      careUnits: 1,
      careUnitList: [{ name: 'Kliniken', hsaId: 'SE2321000016-15CQ' }],
    });
  });

  it('a form may count a list by one of its integer fields only', () => {
    expect(fieldDefinitionProblems(form)).toEqual([]);
    expect(fieldDefinitionProblems([careUnitList])).toEqual([{ field: 'fields.0.countField', message: 'must name an integer field of the form' }]);
    expect(fieldsOf(fieldDefinitionProblems([careUnits, note, { ...careUnitList, countField: 'note' }]))).toEqual(['fields.2.countField']);
    expect(fieldsOf(fieldDefinitionProblems([careUnits, { ...note, countField: 'careUnits' }]))).toEqual(['fields.1.countField']);
    expect(fieldDefinitionProblems([{ ...careUnitList, countField: undefined }])).toEqual([]);
  });
});
