import 'reflect-metadata';
import { Controller, ExecutionContext, Get, Query } from '@nestjs/common';
import { ValidationFailed } from '@kundportal/kernel';
import { QueryParametersGuard } from './query-parameters.guard';

class ListQuery {
  status?: string;
}

@Controller()
class Routes {
  @Get('plain')
  plain() {
    return null;
  }

  @Get('named')
  named(@Query('at') _at?: string, @Query('to') _to?: string) {
    return null;
  }

  @Get('whole')
  whole(@Query() _query: ListQuery) {
    return null;
  }
}

function contextOf(handler: keyof Routes, query: Record<string, unknown> | undefined): ExecutionContext {
  return {
    getClass: () => Routes,
    getHandler: () => Routes.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({ query }) }),
  } as unknown as ExecutionContext;
}

function refusal(guard: QueryParametersGuard, handler: keyof Routes, query: Record<string, unknown>): string[] | null {
  try {
    guard.canActivate(contextOf(handler, query));
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return (error as ValidationFailed).details!.map((d) => d.field);
  }
}

describe('QueryParametersGuard', () => {
  const guard = new QueryParametersGuard();

  it('lets a request without a query through on any route', () => {
    expect(guard.canActivate(contextOf('plain', {}))).toBe(true);
    expect(guard.canActivate(contextOf('plain', undefined))).toBe(true);
  });

  it('names every parameter of a route that takes none', () => {
    expect(refusal(guard, 'plain', { verbose: 'true', page: '2' })).toEqual(['verbose', 'page']);
  });

  it('knows the parameters a route names one by one', () => {
    expect(refusal(guard, 'named', { at: '2026-01-01T00:00:00Z', to: 'x' })).toBeNull();
    expect(refusal(guard, 'named', { at: '2026-01-01T00:00:00Z', when: 'now' })).toEqual(['when']);
  });

  it('leaves a route with a query class to the validation pipe', () => {
    expect(refusal(guard, 'whole', { anything: '1' })).toBeNull();
  });
});
