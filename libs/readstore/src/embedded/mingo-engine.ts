import { Context } from 'mingo/core';
import * as queryOperators from 'mingo/operators/query';
import * as updateOperators from 'mingo/operators/update';
import { Query } from 'mingo/query';
import type { Filter } from '../read-store.port';
import { compileNative } from './native-filter';

/**
 * The embedded store's use of mingo, set up once. mingo's top-level `Query` and `update` build a
 * context of every operator on each call (tens of microseconds, most of an indexed find or an
 * update); the query operators alone are all a read-model filter needs.
 */
const QUERY_CONTEXT = Context.init({ query: { ...queryOperators } });

export interface CompiledFilter {
  test(doc: Record<string, unknown>): boolean;
}

const MATCH_ALL: CompiledFilter = { test: () => true };

/**
 * A compiled filter: plain JavaScript for the filters read models use (see compileNative), mingo
 * for the rest and for the documents whose shape the native code leaves to it. No server-side
 * JavaScript ($where): nothing here should run code from a filter.
 */
export function compileFilter(filter: Filter): CompiledFilter {
  const native = compileNative(filter);
  if (!native) return mingoQuery(filter);
  if (Object.keys(filter).length === 0) return MATCH_ALL;
  let query: CompiledFilter | undefined;
  return {
    test(doc) {
      const verdict = native(doc);
      if (verdict !== undefined) return verdict;
      query ??= mingoQuery(filter);
      return query.test(doc);
    },
  };
}

function mingoQuery(filter: Filter): CompiledFilter {
  return new Query(filter, { scriptEnabled: false, context: QUERY_CONTEXT });
}

export type UpdateOperatorName = '$set' | '$unset' | '$inc' | '$push' | '$pull' | '$addToSet' | '$max' | '$min';

/** Applies one update operator's expression to `doc` in place; mingo's own operator implementations. */
export function applyOperator(doc: Record<string, unknown>, op: UpdateOperatorName, expr: Record<string, unknown>): void {
  // Each operator types its expression differently (e.g. $unset wants ''); the caller validated it.
  const operator = updateOperators[op] as (e: Record<string, unknown>) => (o: Record<string, unknown>) => string[];
  operator(expr)(doc);
}
