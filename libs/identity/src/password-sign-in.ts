import { Inject, Injectable } from '@nestjs/common';
import { AppError, Clock, CLOCK } from '@kundportal/kernel';
import { AccountQueries } from './account.queries';
import { AttemptLimiter, GrowingDelay } from './attempt-limiter';
import { Passwords } from './passwords';
import { RegistrationQueries } from './registration.queries';
import { TokenService } from './token.service';

const WINDOW_MS = 15 * 60 * 1000;
const SECOND = 1000;
/** Sources that signed in to an account lately, remembered so guessing from elsewhere does not slow the owner. */
const KNOWN_SOURCES = 100_000;

/**
 * Password sign-in. The password is checked before anything else is told (a pending registration
 * only shows with the right password), and an unknown e-mail costs the same hashing work as a
 * known one. Guessing is slowed, never locked out: failures for one account from one address
 * make that pair wait longer each time (3 free, then 1 s doubling up to 15 min); failures for the
 * account from every address together slow it more gently (10 free, then up to a minute), except
 * from an address the account signed in from before; and an address failing on many accounts is
 * refused for a while. Whoever knows a known e-mail can thus slow only their own tries, not lock
 * out its owner.
 */
@Injectable()
export class PasswordSignIn {
  private readonly perSourceAndAccount = new GrowingDelay(3, SECOND, 15 * 60 * SECOND);
  private readonly perAccount = new GrowingDelay(10, SECOND, 60 * SECOND);
  private readonly perAddress = new AttemptLimiter(30, WINDOW_MS);
  private readonly knownSources = new Set<string>();

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
    const pair = `${address}\u0000${email}`;
    this.perAddress.check(address, now);
    this.perSourceAndAccount.check(pair, now);
    if (!this.knownSources.has(pair)) this.perAccount.check(email, now);
    const credential = await this.registrations.credential(email);
    const usable = credential && credential.status !== 'rejected' ? credential : null;
    if (!(await this.passwords.verifyOrWaste(usable?.passwordHash ?? null, password)) || !usable) {
      // The pause runs from the end of the failed attempt (the hashing took its time).
      const failedAt = this.clock.now().getTime();
      this.perSourceAndAccount.fail(pair, failedAt);
      this.perAccount.fail(email, failedAt);
      this.perAddress.fail(address, failedAt);
      throw new AppError(401, 'INVALID_CREDENTIALS', 'The e-mail or password is wrong.');
    }
    if (usable.status === 'pending' || !usable.accountId) {
      throw new AppError(403, 'REGISTRATION_PENDING', 'Your registration is waiting for approval by support.');
    }
    this.perSourceAndAccount.reset(pair);
    if (this.knownSources.size >= KNOWN_SOURCES) this.knownSources.delete(this.knownSources.values().next().value as string);
    this.knownSources.add(pair);
    const account = await this.accounts.byId(usable.accountId);
    return this.tokens.mint({ subject: `account:${usable.accountId}`, name: account?.name ?? email, method: 'password', accountId: usable.accountId, email });
  }
}
