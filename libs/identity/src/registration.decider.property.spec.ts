import fc from 'fast-check';
import { DomainError, fold, NotFound } from '@kundportal/kernel';
import { ACCEPTED, asStored, DecidedStep, decideInTurn, Outcome, outcomeOf, refusal, UNCHANGED } from '@kundportal/kernel/testing';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { RegistrationCommand, registrationDecider, RegistrationState } from './registration.decider';
import { RegistrationEvent, registrationStream } from './registration.events';
import { CredentialDoc, CREDENTIALS, RegistrationDoc, REGISTRATIONS, registrationsProjection } from './registration.projections';

const registrationId = 'registration-1';
const email = 'kim.svensson@skola.se';
const submittedAt = new Date('2026-03-04T08:00:00.000Z');
const at = (minutes: number) => new Date(submittedAt.getTime() + minutes * 60_000);

/**
 * A person registers with e-mail and password; staff grant it (creating an account) or refuse it.
 * The commands carry no caller: who may send them is settled at the edge, so the sequences vary
 * what is sent and when, retried approvals and decisions out of turn included.
 */
type Intent = { kind: 'submit'; name: string } | { kind: 'approve'; accountId: string } | { kind: 'reject'; reason: string };

const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('submit' as const), name: fc.constantFrom('Kim Svensson', 'Kim S') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('approve' as const), accountId: fc.constantFrom('account-1', 'account-2') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reject' as const), reason: fc.string({ maxLength: 20 }) }) },
);
const opening = fc.option(fc.constant<Intent>({ kind: 'submit', name: 'Kim Svensson' }), { freq: 8 });
const intents = fc.tuple(opening, fc.array(intent, { maxLength: 15, size: 'max' })).map(([first, rest]) => (first ? [first, ...rest] : rest));

const commandFor = (i: Intent, _state: RegistrationState, index: number): RegistrationCommand => {
  const now = at(index + 1);
  switch (i.kind) {
    case 'submit':
      return {
        type: 'SubmitRegistration',
        registrationId,
        name: i.name,
        email,
        organisationId: 'organisation-1',
        organisationNumber: '212000-0142',
        passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
        now,
      };
    case 'approve':
      return { type: 'ApproveRegistration', accountId: i.accountId, now };
    case 'reject':
      return { type: 'RejectRegistration', reason: i.reason, now };
  }
};

const NOT_PENDING = refusal(DomainError, 'REGISTRATION_NOT_PENDING');

/** What the domain says should come of a command on this registration. */
const expectedOutcome = (command: RegistrationCommand, state: RegistrationState): Outcome => {
  switch (command.type) {
    case 'SubmitRegistration':
      return state.status === 'none' ? ACCEPTED : refusal(DomainError, 'REGISTRATION_EXISTS');
    case 'ApproveRegistration':
      if (state.status === 'none') return refusal(NotFound, 'NOT_FOUND');
      // The same approval retried after a crash: done already.
      if (state.status === 'approved' && state.accountId === command.accountId) return UNCHANGED;
      return state.status === 'pending' ? ACCEPTED : NOT_PENDING;
    case 'RejectRegistration':
      if (state.status === 'none') return refusal(NotFound, 'NOT_FOUND');
      return state.status === 'pending' ? ACCEPTED : NOT_PENDING;
  }
};

const decided = (status: RegistrationState['status']) => status === 'approved' || status === 'rejected';
const reached = { outcomes: new Set<Outcome>() };

/** Every invariant, checked on each step as it is taken. */
const checkStep = (step: DecidedStep<RegistrationCommand, RegistrationEvent, RegistrationState>) => {
  const { command, before, after } = step;
  const outcome = outcomeOf(step);
  reached.outcomes.add(outcome);
  expect(outcome).toBe(expectedOutcome(command, before));
  if (!step.accepted) return;
  expect(step.events.length).toBeLessThanOrEqual(1);
  for (const event of step.events) {
    expect(event.data.registrationId).toBe(registrationId);
    // The decision tells the person who registered, at the address they registered with.
    if (event.type !== 'RegistrationSubmitted' && before.status !== 'none') {
      expect(event.data).toMatchObject({ name: before.registration.name, email: before.registration.email });
    }
  }
  // A registration is decided at most once: the decision stands, and an approval keeps its account.
  if (decided(before.status)) {
    expect(step.events).toEqual([]);
    expect(after).toBe(before);
  }
  if (after.status === 'approved') expect(after.accountId).not.toBeNull();
};

const RUNS = 300;

/** The invariants after every step, and folding the events (as stored) gives the state reached step by step. */
const keepsItsInvariants = (decider: typeof registrationDecider) =>
  fc.property(intents, (sequence) => {
    const { history, state } = decideInTurn(decider, sequence, commandFor, checkStep);
    expect(history.filter((e) => e.type === 'RegistrationSubmitted')).toHaveLength(history.length > 0 ? 1 : 0);
    if (history.length > 0) expect(history[0].type).toBe('RegistrationSubmitted');
    expect(history.filter((e) => e.type !== 'RegistrationSubmitted').length).toBeLessThanOrEqual(1);
    expect(fold(decider, history)).toEqual(state);
    expect(fold(decider, asStored(history))).toEqual(state);
  });

describe('registrationDecider under random command sequences', () => {
  it('keeps its invariants after every step: submitted once, decided at most once, retries change nothing', () => {
    fc.assert(keepsItsInvariants(registrationDecider), { numRuns: RUNS });
    for (const outcome of [ACCEPTED, UNCHANGED, 'NotFound NOT_FOUND', 'DomainError REGISTRATION_EXISTS', NOT_PENDING]) expect(reached.outcomes).toContain(outcome);
  });

  it('the registrations and credentials read models agree with the folded events', async () => {
    await fc.assert(
      fc.asyncProperty(intents, async (sequence) => {
        const { history, state } = decideInTurn(registrationDecider, sequence, commandFor);
        const events = history.map((e, revision) => recorded(e.type, e.data, registrationStream(registrationId), BigInt(revision)));
        const docs = await snapshot(registrationsProjection, await project(registrationsProjection, events));
        const registrations = docs[REGISTRATIONS] as RegistrationDoc[];
        const credentials = docs[CREDENTIALS] as CredentialDoc[];
        if (state.status === 'none') {
          expect(registrations).toEqual([]);
          expect(credentials).toEqual([]);
          return;
        }
        expect(registrations).toEqual([
          expect.objectContaining({ _id: registrationId, status: state.status, accountId: state.accountId, decidedAt: decided(state.status) ? expect.any(String) : null }),
        ]);
        // Password sign-in stays closed until the account's password is set; a refused registration never opens it.
        expect(credentials).toEqual([expect.objectContaining({ _id: email, registrationId, status: state.status === 'rejected' ? 'rejected' : 'pending' })]);
      }),
      { numRuns: 100 },
    );
  });

  it('would catch a decider that breaks them', () => {
    const decidesAgain: typeof registrationDecider = {
      ...registrationDecider,
      decide: (command, state) => registrationDecider.decide(command, state.status === 'none' ? state : { ...state, status: 'pending' }),
    };
    expect(fc.check(keepsItsInvariants(decidesAgain), { numRuns: RUNS, endOnFailure: true }).failed).toBe(true);
  });
});
