import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ErrorDetail, ValidationFailed } from '@kundportal/kernel';

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Most list requests come without query parameters. Whether an empty query passes a query class
 * does not depend on the request, so it is found out once per class (by the full validation);
 * after that an empty query of a class that passed becomes an instance of it straight away, as the
 * validation would have returned it (class-validator's per-call metadata lookup is most of a
 * small read's validation time).
 */
class KundportalValidationPipe extends ValidationPipe {
  private readonly emptyQueryPasses = new WeakMap<object, boolean>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metadata.type !== 'query' || !metatype || !isEmptyObject(value)) return super.transform(value, metadata);
    const passes = this.emptyQueryPasses.get(metatype);
    if (passes) return plainToInstance(metatype, value);
    if (passes === false) return super.transform(value, metadata);
    try {
      const result = await super.transform(value, metadata);
      this.emptyQueryPasses.set(metatype, result instanceof metatype);
      return result;
    } catch (error) {
      this.emptyQueryPasses.set(metatype, false);
      throw error;
    }
  }
}

function isEmptyObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Reflect.ownKeys(value).length === 0;
}

/** Whitelisting (unknown fields are dropped, never stored), every bad field named in `details`. */
export function validationPipe(): ValidationPipe {
  return new KundportalValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
  });
}
