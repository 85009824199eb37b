import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from './paging.dto';

export class OutboxQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only the e-mails to this address' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  to?: string;
}
