import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../http/validators';
import { PageQuery } from './paging.dto';

/** A staff search: `q` and a page. */
export class StaffSearchQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'What to look for; without it, everything, page by page' })
  @Trim()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  q?: string;
}
