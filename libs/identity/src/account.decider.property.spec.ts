import fc from 'fast-check';
import { DomainError, fold } from '@kundportal/kernel';
import { ACCEPTED, asStored, DecidedStep, decideInTurn, Outcome, outcomeOf, refusal, UNCHANGED } from '@kundportal/kernel/testing';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { ACCOUNT_EID_METHODS, AccountCommand, accountDecider, AccountState } from './account.decider';
import { AccountEvent, accountStream } from './account.events';
import { AccountDoc, ACCOUNTS, accountsProjection } from './account.projection';

const accountId = 'account-1';
const DIGEST = 'digest-kim';
const person = { accountId, name: 'Kim Svensson', email: 'kim.svensson@skola.se', organisationId: 'organisation-1' };
const start = new Date('2026-03-04T08:00:00.000Z');
/** Steps are a quarter of an hour apart, so reset links run out during a sequence. */
const at = (index: number) => new Date(start.getTime() + index * 15 * 60_000);

/** e-ID methods the person may sign in with (SITHS among them), and password sign-in. */
const METHODS = ['bankid', 'freja', 'siths', 'password'] as const;

/**
 * The ways an account comes to be (e-ID, an approved registration, an import from the old portal)
 * and what its owner does later. The commands carry no caller: the account is the caller's own, as
 * the handlers find it, so the sequences vary the sign-in method, the links and the timing.
 */
type Intent =
  | { kind: 'create'; method: (typeof METHODS)[number] }
  | { kind: 'create-password-account' }
  | { kind: 'import'; sameEmail: boolean }
  | { kind: 'request-reset'; resetId: string; validForMinutes: number }
  | { kind: 'reset'; resetId: string }
  | { kind: 'verify'; verificationId: string; method: (typeof METHODS)[number] };

const method = fc.constantFrom(...METHODS);
const resetId = fc.constantFrom('reset-1', 'reset-2');
const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('create' as const), method }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('create-password-account' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('import' as const), sameEmail: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('request-reset' as const), resetId, validForMinutes: fc.integer({ min: -15, max: 60 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reset' as const), resetId: fc.constantFrom('reset-1', 'reset-2', 'forged') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('verify' as const), verificationId: fc.constantFrom('verification-1', 'verification-2'), method }) },
);
const opening = fc.option(
  fc.oneof(
    fc.constantFrom<Intent>({ kind: 'create', method: 'bankid' }, { kind: 'create-password-account' }, { kind: 'import', sameEmail: true }),
    fc.record({ kind: fc.constant('create' as const), method }),
  ),
  { freq: 8 },
);
const intents = fc.tuple(opening, fc.array(intent, { maxLength: 20, size: 'max' })).map(([first, rest]) => (first ? [first, ...rest] : rest));

const commandFor = (i: Intent, _state: AccountState, index: number): AccountCommand => {
  const now = at(index + 1);
  switch (i.kind) {
    case 'create':
      // As the handlers present it: the person signed in with e-ID, so the personnummer's digest is there.
      return { type: 'CreateAccount', ...person, phone: '070-123 45 67', personalNumberDigest: DIGEST, method: i.method, emailVerificationId: `email-${index}`, now };
    case 'create-password-account':
      return { type: 'CreatePasswordAccount', account: person, passwordHash: 'hash-registration', now };
    case 'import':
      return {
        type: 'ImportAccount',
        account: { ...person, username: 'kimsve', email: i.sameEmail ? person.email : 'kim@gamla-portalen.se', roles: ['orderer'], verificationId: 'verification-1' },
        now,
      };
    case 'request-reset':
      return { type: 'RequestPasswordReset', resetId: i.resetId, expiresAt: new Date(now.getTime() + i.validForMinutes * 60_000), now };
    case 'reset':
      return { type: 'ResetPassword', resetId: i.resetId, passwordHash: `hash-${index}`, now };
    case 'verify':
      return { type: 'VerifyAccount', verificationId: i.verificationId, personalNumberDigest: DIGEST, method: i.method, now };
  }
};

const isEid = (method: string) => ACCOUNT_EID_METHODS.includes(method);
const INVALID_TOKEN = refusal(DomainError, 'INVALID_TOKEN');
const EID_METHOD_NOT_ALLOWED = refusal(DomainError, 'EID_METHOD_NOT_ALLOWED');

/** What the domain says should come of a command on this account. */
const expectedOutcome = (command: AccountCommand, state: AccountState): Outcome => {
  switch (command.type) {
    case 'CreateAccount':
      if (state.exists) return refusal(DomainError, 'ACCOUNT_EXISTS');
      return isEid(command.method) ? ACCEPTED : EID_METHOD_NOT_ALLOWED;
    case 'CreatePasswordAccount':
      // The approval retried: the account is there already.
      return state.exists ? UNCHANGED : ACCEPTED;
    case 'ImportAccount':
      if (!state.exists) return ACCEPTED;
      return state.account.email === command.account.email ? UNCHANGED : refusal(DomainError, 'ACCOUNT_EXISTS');
    case 'RequestPasswordReset':
      return state.exists && state.hasPassword ? ACCEPTED : refusal(DomainError, 'NO_PASSWORD');
    case 'ResetPassword':
      if (!state.exists || state.reset?.resetId !== command.resetId) return INVALID_TOKEN;
      return Date.parse(state.reset.expiresAt) > command.now.getTime() ? ACCEPTED : INVALID_TOKEN;
    case 'VerifyAccount':
      if (!isEid(command.method)) return EID_METHOD_NOT_ALLOWED;
      return state.exists && state.awaitingVerification === command.verificationId ? ACCEPTED : INVALID_TOKEN;
    default:
      // E-mail verification and change have their own given/when/then specs.
      throw new Error(`${command.type} is not generated here`);
  }
};

const reached = { outcomes: new Set<Outcome>(), events: new Set<string>() };

/** Every invariant, checked on each step as it is taken. */
const checkStep = (step: DecidedStep<AccountCommand, AccountEvent, AccountState>) => {
  const { command, before, after } = step;
  const outcome = outcomeOf(step);
  reached.outcomes.add(outcome);
  expect(outcome).toBe(expectedOutcome(command, before));
  if (!step.accepted || !after.exists) return;
  for (const event of step.events) {
    reached.events.add(event.type);
    expect(event.data.accountId).toBe(accountId);
    // Mails go to the account's own address.
    if (event.type === 'PasswordSet' || event.type === 'PasswordResetRequested') expect(event.data.email).toBe(after.account.email);
    // SITHS neither creates nor verifies an account.
    if (event.type === 'AccountCreated' || event.type === 'AccountVerified') expect(event.data.method).not.toBe('siths');
    if (event.type === 'PasswordSet' && event.data.reason === 'reset') {
      // A reset link works once, only the latest one, only before it runs out, only on a password account.
      expect(before.exists && before.hasPassword && before.reset?.resetId).toBe(event.data.resetId);
      expect(before.exists && Date.parse(before.reset!.expiresAt)).toBeGreaterThan(command.now.getTime());
      expect(after.reset).toBeNull();
    }
    if (event.type === 'AccountVerified') {
      // Verified once, by e-ID, and only an imported account waiting for it.
      expect(before.exists && before.awaitingVerification).toBe(event.data.verificationId);
      expect(isEid(event.data.method)).toBe(true);
    }
  }
  if (before.exists) {
    // Who the account is never changes: its id, name, e-mail and organisation stay as created.
    expect(after.account).toMatchObject({ accountId, name: before.account.name, email: before.account.email, organisationId: before.account.organisationId });
    // The personnummer is set once at most: a digest already there stays.
    if (before.account.personalNumberDigest !== null) expect(after.account.personalNumberDigest).toBe(before.account.personalNumberDigest);
  }
  // An e-ID account carries the personnummer; a password account and an unverified import do not.
  expect(after.account.personalNumberDigest !== null).toBe(isEid(after.account.method));
  expect(after.awaitingVerification === null || after.account.method === 'legacy').toBe(true);
  // A reset link is only ever out for an account with a password.
  if (after.reset) expect(after.hasPassword).toBe(true);
};

const RUNS = 300;

/** The invariants after every step, and folding the events (as stored) gives the state reached step by step. */
const keepsItsInvariants = (decider: typeof accountDecider) =>
  fc.property(intents, (sequence) => {
    const { history, state } = decideInTurn(decider, sequence, commandFor, checkStep);
    const creations = history.filter((e) => e.type === 'AccountCreated' || e.type === 'AccountImported');
    expect(creations).toHaveLength(history.length > 0 ? 1 : 0);
    if (history.length > 0) expect(history[0]).toBe(creations[0]);
    expect(history.filter((e) => e.type === 'AccountVerified').length).toBeLessThanOrEqual(1);
    expect(fold(decider, history)).toEqual(state);
    expect(fold(decider, asStored(history))).toEqual(state);
  });

describe('accountDecider under random command sequences', () => {
  it('keeps its invariants after every step: created once, personnummer by e-ID only and set once, reset links used once', () => {
    fc.assert(keepsItsInvariants(accountDecider), { numRuns: RUNS });
    for (const type of ['AccountCreated', 'AccountImported', 'AccountVerified', 'PasswordSet', 'PasswordResetRequested']) expect(reached.events).toContain(type);
    for (const outcome of [UNCHANGED, INVALID_TOKEN, EID_METHOD_NOT_ALLOWED, 'DomainError ACCOUNT_EXISTS', 'DomainError NO_PASSWORD']) expect(reached.outcomes).toContain(outcome);
  });

  it('the accounts read model agrees with the folded events', async () => {
    await fc.assert(
      fc.asyncProperty(intents, async (sequence) => {
        const { history, state } = decideInTurn(accountDecider, sequence, commandFor);
        const events = history.map((e, revision) => recorded(e.type, e.data, accountStream(accountId), BigInt(revision)));
        const docs = (await snapshot(accountsProjection, await project(accountsProjection, events)))[ACCOUNTS] as AccountDoc[];
        if (!state.exists) {
          expect(docs).toEqual([]);
          return;
        }
        const { accountId: _id, ...account } = state.account;
        expect(docs).toEqual([expect.objectContaining({ _id: accountId, ...account, verified: state.awaitingVerification === null })]);
      }),
      { numRuns: 100 },
    );
  });

  it('would catch a decider that breaks them', () => {
    const linkWorksTwice: typeof accountDecider = {
      ...accountDecider,
      evolve: (state, event) => {
        const next = accountDecider.evolve(state, event);
        return event.type === 'PasswordSet' && state.exists && next.exists ? { ...next, reset: state.reset } : next;
      },
    };
    expect(fc.check(keepsItsInvariants(linkWorksTwice), { numRuns: RUNS, endOnFailure: true }).failed).toBe(true);
  });
});
