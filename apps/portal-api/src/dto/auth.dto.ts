import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsPersonalNumber, Trim } from '../http/validators';

export class DevSignInDto {
  @ApiProperty({ example: '199001012385', description: 'Personnummer, 12 digits with a valid check digit' })
  @IsPersonalNumber()
  personalNumber!: string;

  @ApiProperty({ enum: ['bankid', 'freja', 'siths'] })
  @IsIn(['bankid', 'freja', 'siths'])
  method!: 'bankid' | 'freja' | 'siths';

  @ApiPropertyOptional({ example: 'Anna Andersson' })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Sign in as support staff' })
  @IsOptional()
  @IsBoolean()
  staff?: boolean;

  @ApiPropertyOptional({ description: 'Sign in as auditor' })
  @IsOptional()
  @IsBoolean()
  auditor?: boolean;
}

export class TokenDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn!: number;
}
