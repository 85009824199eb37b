/** One page of a list, as every list route takes it: `page` counts from 1. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** A page of a list and how many the whole list holds. */
export interface Page<T> {
  items: T[];
  total: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function skipOf(request: PageRequest): number {
  return (request.page - 1) * request.pageSize;
}

/** A page of a list that is already in memory (a stream's events, a few documents). */
export function pageOf<T>(all: readonly T[], request: PageRequest): Page<T> {
  const skip = skipOf(request);
  return { items: all.slice(skip, skip + request.pageSize), total: all.length };
}
