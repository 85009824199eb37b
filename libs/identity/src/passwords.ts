import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';

/** At least 8 characters with lower and upper case, a digit and a special character (seed 003). */
export const PASSWORD_RULE = { minLength: 8, minLowercase: 1, minUppercase: 1, minNumbers: 1, minSymbols: 1 } as const;
export const PASSWORD_RULE_TEXT = 'must be at least 8 characters with a lower-case and an upper-case letter, a digit and a special character';

/**
 * argon2id, salted, with the library's memory-hard defaults. `verifyOrWaste` spends the same work
 * when there is no hash to check, so an unknown e-mail answers in the same time as a wrong password.
 */
@Injectable()
export class Passwords implements OnModuleInit {
  private decoy = '';

  async onModuleInit(): Promise<void> {
    this.decoy = await argon2.hash('decoy password that matches nothing', { type: argon2.argon2id });
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verifyOrWaste(hash: string | null, password: string): Promise<boolean> {
    const matches = await argon2.verify(hash ?? this.decoy, password).catch(() => false);
    return hash !== null && matches;
  }
}
