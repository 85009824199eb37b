import { SignInMethod } from '@kundportal/kernel';

/** Who is calling, as the verified token says. Roles in organisations come from read models. */
export interface Principal {
  subject: string;
  name: string;
  method: SignInMethod;
  /** Present for e-ID sign-in; never logged in clear. */
  personalNumber: string | null;
  /** Present for password sign-in (the account is the subject). */
  accountId: string | null;
  email: string | null;
  staff: boolean;
  auditor: boolean;
}

/** Claim names in our tokens and in the e-ID broker's (OIDC) tokens. */
export const CLAIMS = {
  personalNumber: 'personal_number',
  name: 'name',
  method: 'eid_method',
  staff: 'kp_staff',
  auditor: 'kp_auditor',
  accountId: 'kp_account',
  email: 'email',
} as const;
