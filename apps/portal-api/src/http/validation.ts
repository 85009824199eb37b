import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { ErrorDetail, ValidationFailed } from '@kundportal/kernel';

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({ field, message, constraint, args: argumentsOf(e, constraint) }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The arguments of the check that failed (`max` of `@Max(100)`), so its message can be said in another language. */
function argumentsOf(error: ValidationError, constraint: string): readonly unknown[] {
  const target = error.target?.constructor;
  if (!target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((m) => m.propertyName === error.property && m.name === constraint);
  return metadata?.constraints ?? [];
}

/**
 * Bodies drop fields they do not know (whitelisting), queries refuse them: a query parameter the
 * route does not know is a mistake the caller should hear about (a filter silently ignored answers
 * the wrong list).
 *
 * Most list requests come without query parameters. Whether an empty query passes a query class
 * does not depend on the request, so it is found out once per class (by the full validation);
 * after that an empty query of a class that passed becomes an instance of it straight away, as the
 * validation would have returned it (class-validator's per-call metadata lookup is most of a
 * small read's validation time).
 */
class KundportalValidationPipe extends ValidationPipe {
  private readonly emptyQueryPasses = new WeakMap<object, boolean>();

  constructor(private readonly queries: ValidationPipe, options: ValidationPipeOptions) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metadata.type !== 'query') return super.transform(value, metadata);
    if (!metatype || !isEmptyObject(value)) return this.queries.transform(value, metadata);
    const passes = this.emptyQueryPasses.get(metatype);
    if (passes) return plainToInstance(metatype, value);
    if (passes === false) return this.queries.transform(value, metadata);
    try {
      const result = await this.queries.transform(value, metadata);
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

/** Whitelisting (unknown fields are dropped, never stored; unknown query parameters refused), every bad field named in `details`. */
export function validationPipe(): ValidationPipe {
  const options: ValidationPipeOptions = {
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    // The target lets a detail find its check's arguments; neither target nor value is ever sent.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
  };
  return new KundportalValidationPipe(new ValidationPipe({ ...options, forbidNonWhitelisted: true }), options);
}
