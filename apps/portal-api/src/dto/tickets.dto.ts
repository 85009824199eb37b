import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { PRIORITIES, SETTABLE_STATUSES, StaffTicketOrder, TICKET_TYPES, TicketPriority, TicketType } from '@kundportal/ticketing';
import { Trim } from '../http/validators';
import { PageQuery } from './paging.dto';

const STATUSES = ['open', 'pending', 'solved', 'closed'] as const;
const STAFF_TICKET_ORDERS: readonly StaffTicketOrder[] = ['activity', 'queue'];

export class CreateTicketDto {
  @ApiProperty({ enum: TICKET_TYPES })
  @IsIn(TICKET_TYPES)
  type!: TicketType;

  @ApiProperty({ example: 'Cannot sign certificates' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subject!: string;

  @ApiProperty({ example: 'Since this morning signing fails with error 1234.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  description!: string;

  @ApiPropertyOptional({ description: 'One of the requester’s organisations' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ example: 'webcert' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'must be a service id from the catalogue' })
  serviceId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  collaboratorAccountIds?: string[];

  @ApiPropertyOptional({ description: 'Staff only: the account the ticket is for (a call to support)' })
  @IsOptional()
  @IsUUID()
  onBehalfOfAccountId?: string;

  @ApiPropertyOptional({
    description:
      'Staff only: the e-mail of the caller the ticket is for (a call to support). The ticket shows in the account whose verified e-mail it is; otherwise it is answered by e-mail',
  })
  @IsOptional()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  onBehalfOfEmail?: string;

  @ApiPropertyOptional({ description: 'Staff only, with onBehalfOfEmail: the caller’s name when no account has that e-mail' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  onBehalfOfName?: string;
}

export class PublicTicketDto {
  @ApiProperty({ example: 'Kim Svensson' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'kim@skola.se' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: TICKET_TYPES })
  @IsIn(TICKET_TYPES)
  type!: TicketType;

  @ApiProperty()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subject!: string;

  @ApiProperty()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  description!: string;
}

export class TicketMessageDto {
  @ApiProperty({ example: 'Thank you, it works now.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  body!: string;

  @ApiPropertyOptional({ description: 'Staff only: an internal note customers never see' })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Attachments of this ticket to show with the message' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

export class CollaboratorDto {
  @ApiProperty()
  @IsUUID()
  accountId!: string;
}

export class TicketStatusDto {
  @ApiProperty({ enum: SETTABLE_STATUSES })
  @IsIn(SETTABLE_STATUSES)
  status!: (typeof SETTABLE_STATUSES)[number];
}

export class TicketPriorityDto {
  @ApiProperty({ enum: PRIORITIES })
  @IsIn(PRIORITIES)
  priority!: TicketPriority;
}

export class TicketListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Staff: only the tickets that wait (or do not wait) for an answer' })
  @IsOptional()
  @IsIn(['true', 'false'])
  needsReply?: 'true' | 'false';

  @ApiPropertyOptional({ enum: PRIORITIES, description: 'Staff only' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ enum: TICKET_TYPES, description: 'Staff only' })
  @IsOptional()
  @IsIn(TICKET_TYPES)
  type?: TicketType;

  @ApiPropertyOptional({ description: 'Staff only' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ description: 'Staff only: a ticket number (T-n, or n alone), or words that all occur in the subject (whole words, any case)' })
  @Trim()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    enum: STAFF_TICKET_ORDERS,
    default: 'activity',
    description: 'Staff only. `activity`: newest activity first; `queue`: waiting for an answer first, then urgent to low priority, then oldest first',
  })
  @IsOptional()
  @IsIn(STAFF_TICKET_ORDERS)
  sort?: StaffTicketOrder;
}

/** The list's filters only staff may use (customers never see priority, nor other organisations' tickets). */
export const STAFF_TICKET_FILTERS = ['needsReply', 'priority', 'type', 'organisationId', 'q', 'sort'] as const;
