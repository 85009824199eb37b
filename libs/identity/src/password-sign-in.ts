import { Inject, Injectable } from '@nestjs/common';
import { AppError, Clock, CLOCK } from '@kundportal/kernel';
import { AccountQueries } from './account.queries';
import { AttemptLimiter } from './attempt-limiter';
import { Passwords } from './passwords';
import { RegistrationQueries } from './registration.queries';
import { TokenService } from './token.service';

const WINDOW_MS = 15 * 60 * 1000;

/**
 * Password sign-in. The password is checked before anything else is told (a pending registration
 * only shows with the right password), an unknown e-mail costs the same hashing work as a known
 * one, and repeated failures per e-mail and per address are refused for a while.
 */
@Injectable()
export class PasswordSignIn {
  private readonly perEmail = new AttemptLimiter(5, WINDOW_MS);
  private readonly perAddress = new AttemptLimiter(30, WINDOW_MS);

  constructor(
    private readonly registrations: RegistrationQueries,
    private readonly accounts: AccountQueries,
    private readonly passwords: Passwords,
    private readonly tokens: TokenService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async signIn(emailInput: string, password: string, address: string): Promise<{ accessToken: string; expiresIn: number }> {
    const email = emailInput.toLowerCase();
    const now = this.clock.now().getTime();
    this.perAddress.check(address, now);
    this.perEmail.check(email, now);
    const credential = await this.registrations.credential(email);
    const usable = credential && credential.status !== 'rejected' ? credential : null;
    if (!(await this.passwords.verifyOrWaste(usable?.passwordHash ?? null, password)) || !usable) {
      this.perEmail.fail(email, now);
      this.perAddress.fail(address, now);
      throw new AppError(401, 'INVALID_CREDENTIALS', 'The e-mail or password is wrong.');
    }
    if (usable.status === 'pending' || !usable.accountId) {
      throw new AppError(403, 'REGISTRATION_PENDING', 'Your registration is waiting for approval by support.');
    }
    this.perEmail.reset(email);
    const account = await this.accounts.byId(usable.accountId);
    return this.tokens.mint({ subject: `account:${usable.accountId}`, name: account?.name ?? email, method: 'password', accountId: usable.accountId, email });
  }
}
