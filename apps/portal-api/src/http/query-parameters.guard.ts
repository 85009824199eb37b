import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import { ValidationFailed } from '@kundportal/kernel';

/** The query parameters a handler names one by one; null when a query class takes the whole query (the validation pipe checks it). */
type KnownParameters = ReadonlySet<string> | null;

/**
 * A query parameter the route does not know answers 400 naming it, on every route: routes with a
 * query class get this from the validation pipe, the others (no query at all, or single
 * `@Query('name')` parameters) here. A guard, after the AuthGuard, so that an unknown caller still
 * hears 401 first; a request without a query pays for one property check.
 */
@Injectable()
export class QueryParametersGuard implements CanActivate {
  private readonly known = new WeakMap<object, KnownParameters>();

  canActivate(context: ExecutionContext): boolean {
    const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined;
    if (!query || !hasKeys(query)) return true;
    const known = this.knownParameters(context);
    if (known === null) return true;
    const unknown = Object.keys(query).filter((name) => !known.has(name));
    if (unknown.length > 0) throw new ValidationFailed(unknown.map((field) => ({ field, message: 'is not a parameter of this route' })));
    return true;
  }

  private knownParameters(context: ExecutionContext): KnownParameters {
    const handler = context.getHandler();
    let known = this.known.get(handler);
    if (known === undefined) {
      const args: Record<string, { data?: unknown }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {};
      const queries = Object.entries(args)
        .filter(([key]) => key.split(':')[0] === String(RouteParamtypes.QUERY))
        .map(([, arg]) => arg.data);
      known = queries.some((data) => typeof data !== 'string') ? null : new Set(queries as string[]);
      this.known.set(handler, known);
    }
    return known;
  }
}

function hasKeys(value: object): boolean {
  for (const _ in value) return true;
  return false;
}
