import { Inject, Injectable } from '@nestjs/common';
import { PERSONAL_NUMBER_DIGEST, PersonalNumberDigest } from '@kundportal/kernel';
import { READ_STORE, ReadStore } from '@kundportal/readstore';
import { AccountDoc, ACCOUNTS } from './account.projection';
import type { Principal } from './principal';

@Injectable()
export class AccountQueries {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PERSONAL_NUMBER_DIGEST) private readonly digest: PersonalNumberDigest,
  ) {}

  byId(id: string): Promise<AccountDoc | null> {
    return this.store.collection<AccountDoc>(ACCOUNTS).findOne({ _id: id });
  }

  /** The account whose verified e-mail this is; an unverified address is relied on for nothing. */
  byVerifiedEmail(email: string): Promise<AccountDoc | null> {
    return this.store.collection<AccountDoc>(ACCOUNTS).findOne({ email: email.toLowerCase(), emailVerified: true });
  }

  /** The caller's account: named in the token (password sign-in) or found by personnummer (e-ID). */
  async ofPrincipal(principal: Principal): Promise<AccountDoc | null> {
    if (principal.accountId) return this.byId(principal.accountId);
    if (!principal.personalNumber) return null;
    return this.store.collection<AccountDoc>(ACCOUNTS).findOne({ personalNumberDigest: this.digest.of(principal.personalNumber) });
  }
}
