import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest } from '@kundportal/kernel';

/** `page` and `pageSize` of every list route; a list's own filters extend it. */
export class PageQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({ default: DEFAULT_PAGE_SIZE, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}

export function pageRequest(query: PageQuery): PageRequest {
  return { page: query.page ?? 1, pageSize: query.pageSize ?? DEFAULT_PAGE_SIZE };
}

/** The answer of every list route: the page's items, the list's total, and the page it is. */
export function listAnswer<T, R>(page: Page<T>, request: PageRequest, item: (value: T) => R): { items: R[]; total: number; page: number; pageSize: number } {
  return { items: page.items.map(item), total: page.total, page: request.page, pageSize: request.pageSize };
}
