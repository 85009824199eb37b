import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Language, LANGUAGES } from '@kundportal/kernel';

export class PreferencesDto {
  @ApiProperty({ enum: LANGUAGES, description: 'The language of error messages and of e-mails to the account: Swedish (sv) or English (en)' })
  @IsIn(LANGUAGES)
  language!: Language;
}
