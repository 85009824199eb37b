import fc from 'fast-check';
import { DomainError, fold, NotFound } from '@kundportal/kernel';
import { ACCEPTED, asStored, DecidedStep, decideInTurn, Outcome, outcomeOf, refusal, UNCHANGED } from '@kundportal/kernel/testing';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { ApplicationDoc, COLLECTIONS, customerApplicationsProjection } from '../organisation.projections';
import { applicationStream } from '../streams';
import { ApplicationCommand, applicationDecider, ApplicationState } from './application.decider';
import { ApplicationEvent } from './application.events';

const applicationId = 'application-1';
const submittedAt = new Date('2026-03-04T08:00:00.000Z');
const at = (minutes: number) => new Date(submittedAt.getTime() + minutes * 60_000);

/**
 * A visitor submits, staff approve (registering the organisation under an id) or reject. The
 * commands carry no caller: who may send them is settled at the edge, so the sequences vary what
 * is sent and when, retries and out-of-turn decisions included.
 */
type Intent =
  | { kind: 'submit'; organisationName: string; idempotencyKey: string | null }
  | { kind: 'approve'; organisationId: string }
  | { kind: 'reject'; reason: string };

const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('submit' as const), organisationName: fc.constantFrom('Region Exempel', 'Kommun Exempel'), idempotencyKey: fc.option(fc.constant('key-1')) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('approve' as const), organisationId: fc.constantFrom('organisation-1', 'organisation-2') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reject' as const), reason: fc.string({ maxLength: 20 }) }) },
);
const opening = fc.option(fc.constant<Intent>({ kind: 'submit', organisationName: 'Region Exempel', idempotencyKey: null }), { freq: 8 });
const intents = fc.tuple(opening, fc.array(intent, { maxLength: 15, size: 'max' })).map(([first, rest]) => (first ? [first, ...rest] : rest));

const person = (name: string) => ({ name, email: `${name.toLowerCase()}@region.example.se`, personalNumberDigest: `digest-${name.toLowerCase()}` });
const commandFor = (i: Intent, _state: ApplicationState, index: number): ApplicationCommand => {
  const now = at(index + 1);
  switch (i.kind) {
    case 'submit':
      return {
        type: 'SubmitApplication',
        applicationId,
        organisationNumber: '212000-0142',
        organisationName: i.organisationName,
        administrator: person('Anna'),
        signatory: person('Sven'),
        agreementContact: { name: 'Karin', email: 'karin@region.example.se' },
        idempotencyKey: i.idempotencyKey,
        now,
      };
    case 'approve':
      return { type: 'ApproveApplication', organisationId: i.organisationId, now };
    case 'reject':
      return { type: 'RejectApplication', reason: i.reason, now };
  }
};

const NOT_PENDING = refusal(DomainError, 'APPLICATION_NOT_PENDING');

/** What the domain says should come of a command on this application. */
const expectedOutcome = (command: ApplicationCommand, state: ApplicationState): Outcome => {
  switch (command.type) {
    case 'SubmitApplication':
      return state.status === 'none' ? ACCEPTED : refusal(DomainError, 'APPLICATION_EXISTS');
    case 'ApproveApplication':
      if (state.status === 'none') return refusal(NotFound, 'NOT_FOUND');
      // The same approval retried after a crash: done already.
      if (state.status === 'approved' && state.organisationId === command.organisationId) return UNCHANGED;
      return state.status === 'submitted' ? ACCEPTED : NOT_PENDING;
    case 'RejectApplication':
      if (state.status === 'none') return refusal(NotFound, 'NOT_FOUND');
      return state.status === 'submitted' ? ACCEPTED : NOT_PENDING;
  }
};

const decided = (status: ApplicationState['status']) => status === 'approved' || status === 'rejected';
const reached = { outcomes: new Set<Outcome>() };

/** Every invariant, checked on each step as it is taken. */
const checkStep = (step: DecidedStep<ApplicationCommand, ApplicationEvent, ApplicationState>) => {
  const { command, before, after } = step;
  const outcome = outcomeOf(step);
  reached.outcomes.add(outcome);
  expect(outcome).toBe(expectedOutcome(command, before));
  if (!step.accepted) return;
  expect(step.events.length).toBeLessThanOrEqual(1);
  for (const event of step.events) expect(event.data.applicationId).toBe(applicationId);
  // An application is decided at most once: a decision stands, and an approval keeps its organisation.
  if (decided(before.status)) {
    expect(step.events).toEqual([]);
    expect(after).toBe(before);
  }
};

const RUNS = 300;

/** The invariants after every step, and folding the events (as stored) gives the state reached step by step. */
const keepsItsInvariants = (decider: typeof applicationDecider) =>
  fc.property(intents, (sequence) => {
    const { history, state } = decideInTurn(decider, sequence, commandFor, checkStep);
    expect(history.filter((e) => e.type === 'CustomerApplicationSubmitted')).toHaveLength(history.length > 0 ? 1 : 0);
    if (history.length > 0) expect(history[0].type).toBe('CustomerApplicationSubmitted');
    expect(history.filter((e) => e.type !== 'CustomerApplicationSubmitted').length).toBeLessThanOrEqual(1);
    expect(fold(decider, history)).toEqual(state);
    expect(fold(decider, asStored(history))).toEqual(state);
  });

describe('applicationDecider under random command sequences', () => {
  it('keeps its invariants after every step: submitted once, decided at most once, retries change nothing', () => {
    fc.assert(keepsItsInvariants(applicationDecider), { numRuns: RUNS });
    for (const outcome of [ACCEPTED, UNCHANGED, 'NotFound NOT_FOUND', 'DomainError APPLICATION_EXISTS', NOT_PENDING]) expect(reached.outcomes).toContain(outcome);
  });

  it('the review list agrees with the folded events', async () => {
    await fc.assert(
      fc.asyncProperty(intents, async (sequence) => {
        const { history, state } = decideInTurn(applicationDecider, sequence, commandFor);
        const events = history.map((e, revision) => recorded(e.type, e.data, applicationStream(applicationId), BigInt(revision)));
        const docs = (await snapshot(customerApplicationsProjection, await project(customerApplicationsProjection, events)))[COLLECTIONS.applications] as ApplicationDoc[];
        if (state.status === 'none') {
          expect(docs).toEqual([]);
          return;
        }
        const rejection = history.find((e) => e.type === 'CustomerApplicationRejected');
        expect(docs).toEqual([
          expect.objectContaining({
            _id: applicationId,
            organisationName: state.application.organisationName,
            status: state.status,
            organisationId: state.status === 'approved' ? state.organisationId : null,
            reason: rejection?.type === 'CustomerApplicationRejected' ? rejection.data.reason : null,
            decidedAt: decided(state.status) ? expect.any(String) : null,
          }),
        ]);
      }),
      { numRuns: 100 },
    );
  });

  it('would catch a decider that breaks them', () => {
    const decidesAgain: typeof applicationDecider = {
      ...applicationDecider,
      decide: (command, state) => applicationDecider.decide(command, state.status === 'none' ? state : { ...state, status: 'submitted' }),
    };
    expect(fc.check(keepsItsInvariants(decidesAgain), { numRuns: RUNS, endOnFailure: true }).failed).toBe(true);
  });
});
