import { DomainError, fold, NotFound } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import { ApplicationCommand, applicationDecider } from './application.decider';
import {
  ApplicationEvent,
  CustomerApplicationApproved,
  CustomerApplicationRejected,
  CustomerApplicationSubmitted,
} from './application.events';

const spec = DeciderSpecification.for(applicationDecider);

const submittedAt = new Date('2026-03-02T09:00:00.000Z');
const decidedAt = new Date('2026-03-04T13:30:00.000Z');
const applicationId = 'application-1';
const organisationId = 'organisation-1';

const submit: Extract<ApplicationCommand, { type: 'SubmitApplication' }> = {
  type: 'SubmitApplication',
  applicationId,
  organisationNumber: '212000-0142',
  organisationName: 'Region Exempel',
  administrator: { name: 'Anna Admin', email: 'anna@region.example.se', personalNumberDigest: 'digest-anna' },
  signatory: { name: 'Sven Signatär', email: 'sven@region.example.se', personalNumberDigest: 'digest-sven' },
  agreementContact: { name: 'Karin Kontakt', email: 'karin@region.example.se' },
  idempotencyKey: null,
  now: submittedAt,
};

const submitted: CustomerApplicationSubmitted = {
  type: 'CustomerApplicationSubmitted',
  data: {
    applicationId,
    organisationNumber: '212000-0142',
    organisationName: 'Region Exempel',
    administrator: submit.administrator,
    signatory: submit.signatory,
    agreementContact: submit.agreementContact,
    idempotencyKey: null,
    submittedAt: '2026-03-02T09:00:00.000Z',
  },
};

const approved = (orgId = organisationId): CustomerApplicationApproved => ({
  type: 'CustomerApplicationApproved',
  data: { applicationId, organisationId: orgId, approvedAt: '2026-03-04T13:30:00.000Z' },
});

const rejected: CustomerApplicationRejected = {
  type: 'CustomerApplicationRejected',
  data: {
    applicationId,
    reason: 'Not a customer organisation',
    rejectedAt: '2026-03-04T13:30:00.000Z',
    organisationNumber: '212000-0142',
    organisationName: 'Region Exempel',
    contacts: [
      { name: 'Anna Admin', email: 'anna@region.example.se' },
      { name: 'Sven Signatär', email: 'sven@region.example.se' },
      { name: 'Karin Kontakt', email: 'karin@region.example.se' },
    ],
  },
};

const approve = (orgId = organisationId): ApplicationCommand => ({ type: 'ApproveApplication', organisationId: orgId, now: decidedAt });
const reject: ApplicationCommand = { type: 'RejectApplication', reason: 'Not a customer organisation', now: decidedAt };

const isCode = (code: string, statusCode: number) => (e: DomainError) => e.code === code && e.statusCode === statusCode;

describe('applicationDecider', () => {
  describe('SubmitApplication', () => {
    it('submits a new application, stamped with the command time', () => {
      spec.given([]).when(submit).then([submitted]);
    });

    it('refuses a second submission on the same stream: APPLICATION_EXISTS (409)', () => {
      spec.given([submitted]).when(submit).thenThrows(DomainError, isCode('APPLICATION_EXISTS', 409));
      spec.given([submitted, approved()]).when(submit).thenThrows(DomainError, isCode('APPLICATION_EXISTS', 409));
      spec.given([submitted, rejected]).when(submit).thenThrows(DomainError, isCode('APPLICATION_EXISTS', 409));
    });
  });

  describe('ApproveApplication', () => {
    it('approves a submitted application for the given organisation', () => {
      spec.given([submitted]).when(approve()).then([approved()]);
    });

    it('is NotFound when there is no application', () => {
      spec.given([]).when(approve()).thenThrows(NotFound);
    });

    it('is a retry when approved already for the same organisation: no events', () => {
      spec.given([submitted, approved()]).when(approve()).thenNothing();
    });

    it('refuses approving again for another organisation: APPLICATION_NOT_PENDING (409)', () => {
      spec.given([submitted, approved()]).when(approve('organisation-2')).thenThrows(DomainError, isCode('APPLICATION_NOT_PENDING', 409));
    });

    it('refuses a rejected application: APPLICATION_NOT_PENDING (409)', () => {
      spec.given([submitted, rejected]).when(approve()).thenThrows(DomainError, isCode('APPLICATION_NOT_PENDING', 409));
    });
  });

  describe('RejectApplication', () => {
    it('rejects a submitted application with the reason, naming the organisation and its three contacts to be told', () => {
      spec.given([submitted]).when(reject).then([rejected]);
    });

    it('names a person given for several parts of the application once', () => {
      const samePerson = { ...submitted, data: { ...submitted.data, signatory: { ...submit.signatory, email: 'ANNA@region.example.se', name: 'Anna Admin' } } };
      const [event] = applicationDecider.decide(reject, fold(applicationDecider, [samePerson]));
      expect(event.type === 'CustomerApplicationRejected' && event.data.contacts).toEqual([
        { name: 'Anna Admin', email: 'anna@region.example.se' },
        { name: 'Karin Kontakt', email: 'karin@region.example.se' },
      ]);
    });

    it('is NotFound when there is no application', () => {
      spec.given([]).when(reject).thenThrows(NotFound);
    });

    it('refuses an approved application: APPLICATION_NOT_PENDING (409)', () => {
      spec.given([submitted, approved()]).when(reject).thenThrows(DomainError, isCode('APPLICATION_NOT_PENDING', 409));
    });

    it('refuses a rejected application: APPLICATION_NOT_PENDING (409)', () => {
      spec.given([submitted, rejected]).when(reject).thenThrows(DomainError, isCode('APPLICATION_NOT_PENDING', 409));
    });
  });

  describe('evolve', () => {
    const state = (events: ApplicationEvent[]) => fold(applicationDecider, events);

    it('starts with no application', () => {
      expect(state([])).toEqual({ status: 'none' });
    });

    it('submitted → approved keeps the application and records the organisation', () => {
      expect(state([submitted])).toEqual({ status: 'submitted', application: submitted.data });
      expect(state([submitted, approved()])).toEqual({ status: 'approved', application: submitted.data, organisationId });
    });

    it('submitted → rejected keeps the application', () => {
      expect(state([submitted, rejected])).toEqual({ status: 'rejected', application: submitted.data });
    });

    it('ignores a decision without a submitted application', () => {
      expect(state([approved()])).toEqual({ status: 'none' });
      expect(state([rejected])).toEqual({ status: 'none' });
    });

    it('is deterministic: folding the same events twice gives equal state', () => {
      const events: ApplicationEvent[] = [submitted, approved()];
      expect(state(events)).toEqual(state(events));
      expect(state([submitted, rejected])).toEqual(state([submitted, rejected]));
    });

    it('does not change an earlier state when folding further', () => {
      const before = state([submitted]);
      const snapshot = structuredClone(before);
      applicationDecider.evolve(before, approved());
      expect(before).toEqual(snapshot);
    });
  });
});
