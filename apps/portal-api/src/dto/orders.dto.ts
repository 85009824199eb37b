import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ORDER_STATUSES, OrderStatus } from '@kundportal/ordering';
import { Trim } from '../http/validators';
import { PageQuery } from './paging.dto';

export class SubmitOrderDto {
  @ApiProperty()
  @IsUUID()
  organisationId!: string;

  @ApiProperty({ example: 'webcert-fristaende' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,99}$/, { message: 'must be an offering id from the catalogue' })
  offeringId!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { careUnits: 3 }, description: 'Values for the offering’s order-form fields' })
  @IsObject()
  details!: Record<string, unknown>;

  @ApiProperty({ description: 'The terms must be accepted', example: true })
  @Equals(true, { message: 'the terms must be accepted' })
  acceptTerms!: true;

  @ApiPropertyOptional({ description: 'Order through this agent organisation' })
  @IsOptional()
  @IsUUID()
  viaAgentOrganisationId?: string;
}

export class AttestOrderDto {
  @ApiProperty({ enum: ['bankid', 'sms-otp'] })
  @IsIn(['bankid', 'sms-otp'])
  method!: 'bankid' | 'sms-otp';
}

export class RejectOrderDto {
  @ApiProperty({ example: 'Wrong number of care units' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class FulfilOrderDto {
  @ApiProperty({ example: 'We will contact you on Monday to connect your care units.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  instructions!: string;
}

export class OrderListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this organisation’s orders (as customer or agent)' })
  @IsOptional()
  @IsString()
  organisationId?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}

export class WithdrawOrderDto {
  @ApiPropertyOptional({ example: 'Ordered by mistake; we will order again with all our care units.' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class CancelOrderDto {
  @ApiProperty({ example: 'The customer asked us by phone to stop the order.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}
