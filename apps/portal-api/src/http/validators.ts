import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { normaliseOrganisationNumber, normalisePersonalNumber } from '@kundportal/kernel';

/** A personnummer (Luhn-checked), normalised to 12 digits. */
export function IsPersonalNumber(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }) => normalisePersonalNumber(value) ?? value)(target, key);
    ValidateBy(
      {
        name: 'isPersonalNumber',
        validator: {
          validate: (value) => typeof value === 'string' && normalisePersonalNumber(value) === value,
          defaultMessage: () => 'must be a valid personnummer (YYYYMMDDNNNC with a correct check digit)',
        },
      },
      options,
    )(target, key as string);
  };
}

/** An organisationsnummer (Luhn-checked), normalised to NNNNNN-NNNN. */
export function IsOrganisationNumber(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }) => normaliseOrganisationNumber(value) ?? value)(target, key);
    ValidateBy(
      {
        name: 'isOrganisationNumber',
        validator: {
          validate: (value) => typeof value === 'string' && normaliseOrganisationNumber(value) === value,
          defaultMessage: () => 'must be a valid organisationsnummer (NNNNNN-NNNN with a correct check digit)',
        },
      },
      options,
    )(target, key as string);
  };
}

/** Trims strings before validation, so "  " counts as empty. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/**
 * An amount of money: a finite number with at most two decimals. (class-validator's
 * `maxDecimalPlaces` fails on numbers written with an exponent, such as 1e-320.)
 */
export function IsMoneyAmount(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoneyAmount',
      validator: {
        validate: (value) => typeof value === 'number' && Number.isFinite(value) && Math.round(value * 100) / 100 === value,
        defaultMessage: () => 'must be an amount with at most two decimals',
      },
    },
    options,
  );
}
