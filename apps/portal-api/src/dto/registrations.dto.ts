import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsStrongPassword, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { Role, ROLES } from '@kundportal/organisations';
import { PASSWORD_RULE, PASSWORD_RULE_TEXT } from '@kundportal/identity';
import { IsOrganisationNumber, Trim } from '../http/validators';
import { PageQuery } from './paging.dto';

export class RegistrationDto {
  @ApiProperty({ example: 'Kim Svensson' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'kim.svensson@skola.se', description: 'An employer’s address; private mail domains are refused' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ description: PASSWORD_RULE_TEXT, format: 'password' })
  @IsString()
  @MaxLength(200)
  @IsStrongPassword(PASSWORD_RULE, { message: `password ${PASSWORD_RULE_TEXT}` })
  password!: string;

  @ApiProperty({ example: '212000-0142' })
  @IsOrganisationNumber()
  organisationNumber!: string;
}

export class PasswordSignInDto {
  @ApiProperty()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

export class PasswordResetRequestDto {
  @ApiProperty()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class PasswordResetDto {
  @ApiProperty({ description: 'The token from the e-mailed link' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  token!: string;

  @ApiProperty({ description: PASSWORD_RULE_TEXT, format: 'password' })
  @IsString()
  @MaxLength(200)
  @IsStrongPassword(PASSWORD_RULE, { message: `password ${PASSWORD_RULE_TEXT}` })
  password!: string;
}

export class UserLimitDto {
  @ApiProperty({ nullable: true, example: 25, description: 'Most accounts the organisation allows; null for no limit' })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  limit!: number | null;
}

export class LegacyAccountDto {
  @ApiProperty({ example: 'kisve01', description: 'The username in the old portal' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  username!: string;

  @ApiProperty({ example: 'Kim Svensson' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'kim.svensson@region.se' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: '212000-0142' })
  @IsOrganisationNumber()
  organisationNumber!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMaxSize(8)
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}

export class VerifyAccountDto {
  @ApiProperty({ description: 'The token from the verification e-mail' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  token!: string;
}

export const REGISTRATION_STATUSES = ['pending', 'approved', 'rejected'] as const;

export class RegistrationListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES })
  @IsOptional()
  @IsIn(REGISTRATION_STATUSES)
  status?: (typeof REGISTRATION_STATUSES)[number];
}
