import { DomainError, fold, NotFound } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import { RegistrationCommand, registrationDecider } from './registration.decider';
import { RegistrationApproved, RegistrationEvent, RegistrationRejected, RegistrationSubmitted } from './registration.events';

const spec = DeciderSpecification.for(registrationDecider);

const submittedAt = new Date('2026-03-04T08:00:00.000Z');
const now = new Date('2026-03-06T10:00:00.000Z');
const registrationId = 'registration-1';
const accountId = 'account-1';

const registration: RegistrationSubmitted['data'] = {
  registrationId,
  name: 'Kim Svensson',
  email: 'kim.svensson@skola.se',
  organisationId: 'organisation-1',
  organisationNumber: '212000-0142',
  passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
  submittedAt: submittedAt.toISOString(),
};

const { submittedAt: _submittedAt, ...submissionFields } = registration;
const submit: RegistrationCommand = { type: 'SubmitRegistration', ...submissionFields, now: submittedAt };
const approve = (id = accountId): RegistrationCommand => ({ type: 'ApproveRegistration', accountId: id, now });
const reject = (reason = 'Not an employee of the school.'): RegistrationCommand => ({ type: 'RejectRegistration', reason, now });

const submitted: RegistrationSubmitted = { type: 'RegistrationSubmitted', data: registration };
const approved = (id = accountId): RegistrationApproved => ({
  type: 'RegistrationApproved',
  data: { registrationId, accountId: id, name: registration.name, email: registration.email, approvedAt: now.toISOString() },
});
const rejected = (reason = 'Not an employee of the school.'): RegistrationRejected => ({
  type: 'RegistrationRejected',
  data: { registrationId, name: registration.name, email: registration.email, reason, rejectedAt: now.toISOString() },
});

const isCode = (statusCode: number, code: string) => (e: DomainError) => e.statusCode === statusCode && e.code === code;

describe('registrationDecider', () => {
  describe('SubmitRegistration', () => {
    it('records the registration, pending, stamped with the time', () => {
      spec.given([]).when(submit).then([submitted]);
    });

    it('keeps only the hash: the command carries no password and the event has no other secret', () => {
      const [event] = registrationDecider.decide(submit, registrationDecider.initialState());
      expect(Object.keys(event.data).sort()).toEqual(
        ['email', 'name', 'organisationId', 'organisationNumber', 'passwordHash', 'registrationId', 'submittedAt'].sort(),
      );
    });

    it.each<[string, RegistrationEvent[]]>([
      ['pending', [submitted]],
      ['approved', [submitted, approved()]],
      ['rejected', [submitted, rejected()]],
    ])('refuses a second submission on the same stream (%s): 409 REGISTRATION_EXISTS', (_status, given) => {
      spec.given(given).when(submit).thenThrows(DomainError, isCode(409, 'REGISTRATION_EXISTS'));
    });
  });

  describe('ApproveRegistration', () => {
    it('approves a pending registration with the account it becomes', () => {
      spec.given([submitted]).when(approve()).then([approved()]);
    });

    it('answers 404 for a registration that does not exist', () => {
      spec.given([]).when(approve()).thenThrows(NotFound);
    });

    it('changes nothing when the same approval is retried (same account)', () => {
      spec.given([submitted, approved()]).when(approve()).thenNothing();
    });

    it('refuses an approval naming another account once approved: 409 REGISTRATION_NOT_PENDING', () => {
      spec.given([submitted, approved()]).when(approve('account-2')).thenThrows(DomainError, isCode(409, 'REGISTRATION_NOT_PENDING'));
    });

    it('refuses a rejected registration: 409 REGISTRATION_NOT_PENDING', () => {
      spec.given([submitted, rejected()]).when(approve()).thenThrows(DomainError, isCode(409, 'REGISTRATION_NOT_PENDING'));
    });
  });

  describe('RejectRegistration', () => {
    it('rejects a pending registration with the reason', () => {
      spec.given([submitted]).when(reject('Use your school address.')).then([rejected('Use your school address.')]);
    });

    it('answers 404 for a registration that does not exist', () => {
      spec.given([]).when(reject()).thenThrows(NotFound);
    });

    it.each<[string, RegistrationEvent[]]>([
      ['approved', [submitted, approved()]],
      ['rejected', [submitted, rejected()]],
    ])('refuses a registration that is %s already: 409 REGISTRATION_NOT_PENDING', (_status, given) => {
      spec.given(given).when(reject()).thenThrows(DomainError, isCode(409, 'REGISTRATION_NOT_PENDING'));
    });
  });

  describe('evolve', () => {
    it('starts with nothing', () => {
      expect(registrationDecider.initialState()).toEqual({ status: 'none' });
    });

    it('none → pending → approved, keeping the registration and naming the account', () => {
      expect(fold(registrationDecider, [submitted])).toEqual({ status: 'pending', registration, accountId: null });
      expect(fold(registrationDecider, [submitted, approved()])).toEqual({ status: 'approved', registration, accountId });
    });

    it('pending → rejected, without an account', () => {
      expect(fold(registrationDecider, [submitted, rejected()])).toEqual({ status: 'rejected', registration, accountId: null });
    });

    it('ignores a decision without a submission', () => {
      expect(fold(registrationDecider, [approved()])).toEqual({ status: 'none' });
      expect(fold(registrationDecider, [rejected()])).toEqual({ status: 'none' });
    });
  });
});
