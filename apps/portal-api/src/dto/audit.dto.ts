import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class OrderStateQuery {
  @ApiProperty({ description: 'ISO-8601 time', example: '2026-05-01T12:00:00Z' })
  @IsString()
  at!: string;
}
