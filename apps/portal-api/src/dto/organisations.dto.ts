import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Role, ROLES } from '@kundportal/organisations';
import { IsOrganisationNumber, IsPersonalNumber, Trim } from '../http/validators';
import { PageQuery } from './paging.dto';

export class ContactDto {
  @ApiProperty({ example: 'Karin Karlsson' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'karin.karlsson@region.se' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class NamedPersonDto extends ContactDto {
  @ApiProperty({ example: '198112189876' })
  @IsPersonalNumber()
  personalNumber!: string;
}

export class CustomerApplicationDto {
  @ApiProperty({ example: '212000-0142' })
  @IsOrganisationNumber()
  organisationNumber!: string;

  @ApiProperty({ example: 'Region Exempel' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisationName!: string;

  @ApiProperty({ type: NamedPersonDto })
  @IsObject()
  @ValidateNested()
  @Type(() => NamedPersonDto)
  administrator!: NamedPersonDto;

  @ApiProperty({ type: NamedPersonDto })
  @IsObject()
  @ValidateNested()
  @Type(() => NamedPersonDto)
  signatory!: NamedPersonDto;

  @ApiProperty({ type: ContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  agreementContact!: ContactDto;
}

export class RejectDto {
  @ApiProperty({ example: 'Not a public-sector organisation' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class CreateAccountDto {
  @ApiProperty({ example: 'Anna Andersson' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'anna.andersson@region.se' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ example: '+46701234567' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiProperty({ example: '212000-0142' })
  @IsOrganisationNumber()
  organisationNumber!: string;

  @ApiPropertyOptional({ description: 'The token of an invitation link from this organisation: the account joins it active, with the invitation’s roles' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  invitationToken?: string;
}

export class JoinOrganisationDto {
  @ApiProperty({ example: '212000-0142' })
  @IsOrganisationNumber()
  organisationNumber!: string;

  @ApiPropertyOptional({ description: 'The token of an invitation link from this organisation' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  invitationToken?: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token from the invitation link' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  token!: string;
}

export class ApproveJoinRequestDto {
  @ApiPropertyOptional({ enum: ROLES, isArray: true, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ROLES.length * 2)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
}

export class DeclineJoinRequestDto {
  @ApiPropertyOptional({ example: 'Not employed here' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class InvitationDto extends ContactDto {
  @ApiPropertyOptional({ enum: ROLES, isArray: true, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ROLES.length * 2)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMaxSize(ROLES.length * 2)
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

export class LinkAgentDto {
  @ApiProperty()
  @IsString()
  @IsUUID()
  agentOrganisationId!: string;
}

export class MergeDto {
  @ApiProperty({ description: 'The duplicate record to merge into this one' })
  @IsUUID()
  duplicateOrganisationId!: string;
}

export const APPLICATION_STATUSES = ['submitted', 'approved', 'rejected'] as const;

export class ApplicationListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: (typeof APPLICATION_STATUSES)[number];
}

export class VerifyEmailDto {
  @ApiProperty({ description: 'The token from the e-mail verification link' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  token!: string;
}

export class ChangeEmailDto {
  @ApiProperty({ example: 'anna.andersson@region.se' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}
