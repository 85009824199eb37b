import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CATALOGUE_ID_PATTERN,
  Currency,
  CURRENCIES,
  FIELD_LABEL_MAX_LENGTH,
  FIELD_NAME_PATTERN,
  FIELD_TYPES,
  FieldType,
  MAX_FIELDS,
  OFFERING_ID_MAX_LENGTH,
  SERVICE_ID_MAX_LENGTH,
  STRING_FIELD_MAX_LENGTH,
} from '@kundportal/catalogue';
import { IsMoneyAmount, Trim } from '../http/validators';

const SLUG_MESSAGE = 'must be lower-case letters and digits joined by single hyphens';

export class PublishServiceDto {
  @ApiProperty({ example: 'webcert', description: 'A readable slug, unique in the catalogue' })
  @IsString()
  @MaxLength(SERVICE_ID_MAX_LENGTH)
  @Matches(CATALOGUE_ID_PATTERN, { message: SLUG_MESSAGE })
  id!: string;

  @ApiProperty({ example: 'Webcert' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'Write, sign and send medical certificates (intyg) electronically.' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  description?: string;
}

export class StartupFeeDto {
  @ApiProperty({ example: 5000, description: 'In whole currency units, at most two decimals' })
  @IsMoneyAmount()
  @Min(0)
  @Max(100_000_000)
  amount!: number;

  @ApiProperty({ enum: CURRENCIES, example: 'SEK' })
  @IsIn(CURRENCIES)
  currency!: Currency;
}

export class OrderFieldDto {
  @ApiProperty({ example: 'careUnits', description: 'The key in an order’s details' })
  @IsString()
  @Matches(FIELD_NAME_PATTERN, { message: 'must be a letter followed by up to 39 letters or digits' })
  name!: string;

  @ApiProperty({ example: 'Number of care units (vårdenheter)' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(FIELD_LABEL_MAX_LENGTH)
  label!: string;

  @ApiProperty({ enum: FIELD_TYPES, example: 'integer' })
  @IsIn(FIELD_TYPES)
  type!: FieldType;

  @ApiProperty({ example: true })
  @IsBoolean()
  required!: boolean;

  @ApiPropertyOptional({ example: 1, description: 'Integer fields only' })
  @IsOptional()
  @IsInt()
  min?: number;

  @ApiPropertyOptional({ description: 'Integer fields only' })
  @IsOptional()
  @IsInt()
  max?: number;

  @ApiPropertyOptional({ description: 'String fields only: the most characters' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(STRING_FIELD_MAX_LENGTH)
  maxLength?: number;

  @ApiPropertyOptional({ example: 'careUnits', description: 'Care-unit lists only: the integer field whose value the list’s length must equal' })
  @IsOptional()
  @IsString()
  @Matches(FIELD_NAME_PATTERN, { message: 'must be the name of a field of the form' })
  countField?: string;
}

export class PublishOfferingDto {
  @ApiProperty({ example: 'webcert-fristaende', description: 'Starts with the service id and a hyphen' })
  @IsString()
  @MaxLength(OFFERING_ID_MAX_LENGTH)
  @Matches(CATALOGUE_ID_PATTERN, { message: SLUG_MESSAGE })
  id!: string;

  @ApiProperty({ example: 'Webcert Fristående' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: StartupFeeDto })
  @IsObject()
  @ValidateNested()
  @Type(() => StartupFeeDto)
  startupFee!: StartupFeeDto;

  @ApiProperty({ type: OrderFieldDto, isArray: true })
  @IsArray()
  @ArrayMaxSize(MAX_FIELDS)
  @ValidateNested({ each: true })
  @Type(() => OrderFieldDto)
  fields!: OrderFieldDto[];
}
