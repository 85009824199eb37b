import { assertNever, ErrorDetail } from '@kundportal/kernel';

/** A field of an offering's order form; what the orderer fills in is checked against these. */
export const FIELD_TYPES = ['integer', 'string', 'boolean'] as const;
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
}

/** What an order's `details` hold once checked: one value per given field. */
export type OrderDetails = Record<string, number | string | boolean>;

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
    result[field.name] = typeof value === 'string' ? value.trim() : (value as number | boolean);
  }
  return result;
}
