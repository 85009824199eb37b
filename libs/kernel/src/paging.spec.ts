import { pageOf, skipOf } from './paging';

describe('paging', () => {
  it('skips the pages before the one asked for', () => {
    expect(skipOf({ page: 1, pageSize: 20 })).toBe(0);
    expect(skipOf({ page: 3, pageSize: 20 })).toBe(40);
  });

  it('answers a page of a list in memory with the whole list’s total', () => {
    const all = [1, 2, 3, 4, 5];
    expect(pageOf(all, { page: 1, pageSize: 2 })).toEqual({ items: [1, 2], total: 5 });
    expect(pageOf(all, { page: 3, pageSize: 2 })).toEqual({ items: [5], total: 5 });
    expect(pageOf(all, { page: 4, pageSize: 2 })).toEqual({ items: [], total: 5 });
  });
});
