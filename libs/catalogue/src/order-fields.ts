import { assertNever, ErrorDetail } from '@kundportal/kernel';

/** A field of an offering's order form; what the orderer fills in is checked against these. */
export const FIELD_TYPES = ['integer', 'string', 'boolean', 'care-unit-list'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface OrderField {
  /** The key in an order's `details`. */
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  /** Integers only. */
  min?: number;
  max?: number;
  /** Strings only: the most characters after trimming. */
  maxLength?: number;
  /** Care-unit lists only: the integer field of the same form that the list's length must equal. */
  countField?: string;
}

/** A care unit (vårdenhet) to connect: its name and its HSA-id. */
export interface CareUnit {
  name: string;
  hsaId: string;
}

/** What an order's `details` hold once checked: one value per given field. */
export type OrderDetails = Record<string, number | string | boolean | CareUnit[]>;

/**
 * An HSA-id: `SE`, the organisation number (10 digits, or 12 with a prefix such as `16`), a hyphen
 * and the unit's own part (letters and digits), e.g. `SE2321000016-15CQ`. Checked in capitals.
 */
export const HSA_ID_PATTERN = /^SE\d{10,12}-[A-Z0-9]{1,20}$/;
export const CARE_UNIT_NAME_MAX_LENGTH = 200;
export const MAX_CARE_UNITS = 1000;

export const FIELD_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;
export const FIELD_LABEL_MAX_LENGTH = 200;
export const STRING_FIELD_MAX_LENGTH = 10_000;
export const MAX_FIELDS = 50;

const own = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const characters = (s: string) => [...s].length;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The field with only its defined properties, in a fixed order: how it is stored in events. */
export function cleanField(field: OrderField): OrderField {
  return {
    name: field.name,
    label: field.label.trim(),
    type: field.type,
    required: field.required,
    ...(field.min !== undefined && field.min !== null ? { min: field.min } : {}),
    ...(field.max !== undefined && field.max !== null ? { max: field.max } : {}),
    ...(field.maxLength !== undefined && field.maxLength !== null ? { maxLength: field.maxLength } : {}),
    ...(field.countField !== undefined && field.countField !== null ? { countField: field.countField } : {}),
  };
}

/**
 * What is wrong with an offering's field definitions (pure), each problem named as
 * `fields.<index>.<property>`. Empty when the form can be published.
 */
export function fieldDefinitionProblems(fields: unknown): ErrorDetail[] {
  if (!Array.isArray(fields)) return [{ field: 'fields', message: 'must be an array' }];
  if (fields.length > MAX_FIELDS) return [{ field: 'fields', message: `must have at most ${MAX_FIELDS} fields` }];
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  fields.forEach((field: unknown, i) => {
    const at = (property: string) => `fields.${i}.${property}`;
    if (!isPlainObject(field)) {
      problems.push({ field: `fields.${i}`, message: 'must be an object' });
      return;
    }
    const { name, label, type, required, min, max, maxLength } = field;
    if (typeof name !== 'string' || !FIELD_NAME_PATTERN.test(name)) {
      problems.push({ field: at('name'), message: 'must be a letter followed by up to 39 letters or digits' });
    } else if (seen.has(name)) {
      problems.push({ field: at('name'), message: 'is the name of another field' });
    } else {
      seen.add(name);
    }
    if (typeof label !== 'string' || label.trim() === '' || characters(label.trim()) > FIELD_LABEL_MAX_LENGTH) {
      problems.push({ field: at('label'), message: `must be a non-empty text of at most ${FIELD_LABEL_MAX_LENGTH} characters` });
    }
    if (!FIELD_TYPES.includes(type as FieldType)) problems.push({ field: at('type'), message: `must be one of ${FIELD_TYPES.join(', ')}` });
    if (typeof required !== 'boolean') problems.push({ field: at('required'), message: 'must be true or false' });
    for (const [key, bound] of [['min', min], ['max', max]] as const) {
      if (bound === undefined || bound === null) continue;
      if (type !== 'integer') problems.push({ field: at(key), message: 'applies to integer fields only' });
      else if (typeof bound !== 'number' || !Number.isSafeInteger(bound)) problems.push({ field: at(key), message: 'must be an integer' });
    }
    if (type === 'integer' && Number.isSafeInteger(min) && Number.isSafeInteger(max) && (min as number) > (max as number)) {
      problems.push({ field: at('max'), message: 'must not be less than min' });
    }
    const { countField } = field;
    if (countField !== undefined && countField !== null) {
      const counted = fields.find((f: unknown) => isPlainObject(f) && f.name === countField) as Record<string, unknown> | undefined;
      if (type !== 'care-unit-list') problems.push({ field: at('countField'), message: 'applies to care-unit-list fields only' });
      else if (!counted || counted.type !== 'integer') problems.push({ field: at('countField'), message: 'must name an integer field of the form' });
    }
    if (maxLength !== undefined && maxLength !== null) {
      if (type !== 'string') problems.push({ field: at('maxLength'), message: 'applies to string fields only' });
      else if (typeof maxLength !== 'number' || !Number.isSafeInteger(maxLength) || maxLength < 1 || maxLength > STRING_FIELD_MAX_LENGTH) {
        problems.push({ field: at('maxLength'), message: `must be an integer from 1 to ${STRING_FIELD_MAX_LENGTH}` });
      }
    }
  });
  return problems;
}

/**
 * What is wrong with an order's `details` for an offering's fields (pure), each problem named as
 * `details.<name>`. Keys that are not fields are problems too, so nothing unknown is stored.
 * A missing or null value is absent: refused only for a required field.
 */
export function validateOrderDetails(fields: readonly OrderField[], details: unknown): ErrorDetail[] {
  if (!isPlainObject(details)) return [{ field: 'details', message: 'must be an object' }];
  const problems: ErrorDetail[] = [];
  const at = (name: string) => `details.${name}`;
  for (const field of fields) {
    const value = own(details, field.name) ? details[field.name] : undefined;
    if (value === undefined || value === null) {
      if (field.required) problems.push({ field: at(field.name), message: 'is required' });
      continue;
    }
    switch (field.type) {
      case 'integer':
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
          problems.push({ field: at(field.name), message: 'must be an integer' });
        } else if (field.min !== undefined && value < field.min) {
          problems.push({ field: at(field.name), message: `must be at least ${field.min}` });
        } else if (field.max !== undefined && value > field.max) {
          problems.push({ field: at(field.name), message: `must be at most ${field.max}` });
        }
        break;
      case 'string':
        if (typeof value !== 'string') {
          problems.push({ field: at(field.name), message: 'must be a text' });
        } else if (value.trim() === '') {
          problems.push({ field: at(field.name), message: 'must not be empty' });
        } else if (field.maxLength !== undefined && characters(value.trim()) > field.maxLength) {
          problems.push({ field: at(field.name), message: `must be at most ${field.maxLength} characters` });
        }
        break;
      case 'boolean':
        if (typeof value !== 'boolean') problems.push({ field: at(field.name), message: 'must be true or false' });
        break;
      case 'care-unit-list':
        problems.push(...careUnitListProblems(field, value, details));
        break;
      default:
        assertNever(field.type);
    }
  }
  const known = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(details)) {
    if (!known.has(key)) problems.push({ field: at(key), message: 'is not a field of this offering' });
  }
  return problems;
}

/**
 * The details as they are stored: trimmed texts, absent (missing or null) fields left out. Only
 * for details that `validateOrderDetails` found no problem with.
 */
export function normaliseOrderDetails(fields: readonly OrderField[], details: Record<string, unknown>): OrderDetails {
  const result: OrderDetails = {};
  for (const field of fields) {
    const value = own(details, field.name) ? details[field.name] : undefined;
    if (value === undefined || value === null) continue;
    if (field.type === 'care-unit-list') {
      result[field.name] = (value as CareUnit[]).map((unit) => ({ name: unit.name.trim(), hsaId: unit.hsaId.trim().toUpperCase() }));
      continue;
    }
    result[field.name] = typeof value === 'string' ? value.trim() : (value as number | boolean);
  }
  return result;
}

/**
 * What is wrong with a list of care units, each problem named down to the unit's property
 * (`details.careUnitList.2.hsaId`): 1 to 1,000 units, each exactly a name and a well-formed HSA-id,
 * no HSA-id twice, and as many units as the count field says (when the count itself is valid).
 */
function careUnitListProblems(field: OrderField, value: unknown, details: Record<string, unknown>): ErrorDetail[] {
  const at = (suffix = '') => `details.${field.name}${suffix}`;
  if (!Array.isArray(value)) return [{ field: at(), message: 'must be a list of care units, each { name, hsaId }' }];
  if (value.length === 0 || value.length > MAX_CARE_UNITS) return [{ field: at(), message: `must name from 1 to ${MAX_CARE_UNITS} care units` }];
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  value.forEach((unit: unknown, i) => {
    if (!isPlainObject(unit)) {
      problems.push({ field: at(`.${i}`), message: 'must be a care unit { name, hsaId }' });
      return;
    }
    const { name, hsaId } = unit;
    if (typeof name !== 'string' || name.trim() === '' || characters(name.trim()) > CARE_UNIT_NAME_MAX_LENGTH) {
      problems.push({ field: at(`.${i}.name`), message: `must be a non-empty text of at most ${CARE_UNIT_NAME_MAX_LENGTH} characters` });
    }
    const id = typeof hsaId === 'string' ? hsaId.trim().toUpperCase() : null;
    if (id === null || !HSA_ID_PATTERN.test(id)) {
      problems.push({ field: at(`.${i}.hsaId`), message: 'must be an HSA-id such as SE2321000016-15CQ' });
    } else if (seen.has(id)) {
      problems.push({ field: at(`.${i}.hsaId`), message: 'names a care unit already in the list' });
    } else {
      seen.add(id);
    }
    for (const key of Object.keys(unit)) {
      if (key !== 'name' && key !== 'hsaId') problems.push({ field: at(`.${i}.${key}`), message: 'is not a property of a care unit' });
    }
  });
  const count = field.countField !== undefined && own(details, field.countField) ? details[field.countField] : undefined;
  if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 1 && count !== value.length) {
    problems.push({ field: at(), message: `must name as many care units as ${field.countField} (${count}), not ${value.length}` });
  }
  return problems;
}
