import { AppError, DomainError, ErrorDetail, fold, Forbidden, NotFound, ValidationFailed } from '@kundportal/kernel';
import { DeciderSpecification } from '@kundportal/kernel/testing';
import { Acting, AgentForOrder, OrderCommand, orderDecider, OrderState, OrderStatus, StepRecord, stepOf, stepsOf } from './order.decider';
import {
  AttestationMethod,
  OrderApprovedByAgent,
  OrderAttested,
  OrderedOffering,
  OrderEvent,
  OrderFulfilled,
  OrderRejected,
  OrderSubmitted,
  OrderCancelled,
  OrderWithdrawn,
  Step,
} from './order.events';
import { acting, AGENT, at, CUSTOMER, offering, organisation, orderId, submittedAt } from './testing/order-fixtures';

const spec = DeciderSpecification.for(orderDecider);

const customerOrderer = acting('olof', { customer: ['orderer'] });
const customerAttestant = acting('astrid', { customer: ['attestant'] });
const customerMember = acting('mona', { customer: [] });
const agentOrderer = acting('agnes', { agent: ['orderer'] });
const agentAttestant = acting('arvid', { agent: ['attestant'] });
const agentMember = acting('alma', { agent: [] });
/** Attestant in both organisations: may attest at both attestation steps, once each. */
const doubleAttestant = acting('dora', { customer: ['attestant'], agent: ['attestant'] });
const stranger = acting('stina', {});
const staff = acting('Kim Kundservice', { staff: true });

type Submit = Extract<OrderCommand, { type: 'SubmitOrder' }>;
const submit = (overrides: Partial<Submit> = {}): OrderCommand => ({
  type: 'SubmitOrder',
  orderId,
  organisation,
  by: customerOrderer,
  offering,
  detailProblems: [],
  details: { careUnits: 3 },
  viaAgent: null,
  now: submittedAt,
  ...overrides,
});
const viaAgent: AgentForOrder = { id: AGENT, name: 'Agent AB', mergedInto: null, hasOrderer: true, hasAttestant: true };
const approve = (by: Acting, now = at(10)): OrderCommand => ({ type: 'ApproveOrder', by, now });
const attest = (by: Acting, method: AttestationMethod = 'bankid', now = at(20)): OrderCommand => ({ type: 'AttestOrder', by, method, now });
const reject = (by: Acting, reason = 'Fel antal vårdenheter', now = at(30)): OrderCommand => ({ type: 'RejectOrder', by, reason, now });
const fulfil = (by: Acting, instructions = 'Vi kontaktar er om anslutning.', now = at(40)): OrderCommand => ({
  type: 'FulfilOrder',
  by,
  instructions,
  now,
});

const submitted = (agent = false): OrderSubmitted => ({
  type: 'OrderSubmitted',
  data: {
    orderId,
    organisationId: CUSTOMER,
    organisationName: 'Region Exempel',
    offering,
    details: { careUnits: 3 },
    viaAgentOrganisationId: agent ? AGENT : null,
    viaAgentOrganisationName: agent ? 'Agent AB' : null,
    submittedBy: customerOrderer.person,
    termsAccepted: true,
    submittedAt: submittedAt.toISOString(),
  },
});
const approved = (by = agentOrderer, when = at(10)): OrderApprovedByAgent => ({
  type: 'OrderApprovedByAgent',
  data: { orderId, customerOrganisationId: CUSTOMER, step: 'agent-approval', organisationId: AGENT, by: by.person, signInMethod: by.signInMethod, at: when.toISOString() },
});
const attested = (step: 'agent-attestation' | 'attestation', by: Acting, method: AttestationMethod = 'bankid', when = at(20)): OrderAttested => ({
  type: 'OrderAttested',
  data: {
    orderId,
    customerOrganisationId: CUSTOMER,
    step,
    organisationId: step === 'agent-attestation' ? AGENT : CUSTOMER,
    method,
    by: by.person,
    signInMethod: by.signInMethod,
    at: when.toISOString(),
  },
});
const rejected = (step: Step, by: Acting, reason = 'Fel antal vårdenheter', when = at(30)): OrderRejected => ({
  type: 'OrderRejected',
  data: {
    orderId,
    customerOrganisationId: CUSTOMER,
    step,
    organisationId: step === 'attestation' ? CUSTOMER : AGENT,
    reason,
    by: by.person,
    signInMethod: by.signInMethod,
    at: when.toISOString(),
  },
});
const fulfilled = (by = staff, instructions = 'Vi kontaktar er om anslutning.', when = at(40)): OrderFulfilled => ({
  type: 'OrderFulfilled',
  data: { orderId, instructions, by: by.person, signInMethod: by.signInMethod, at: when.toISOString() },
});

const withdrawn = (step: Step, reason: string | null = 'Beställd av misstag', when = at(35), by = customerOrderer): OrderWithdrawn => ({
  type: 'OrderWithdrawn',
  data: {
    orderId,
    customerOrganisationId: CUSTOMER,
    step,
    organisationId: step === 'attestation' ? CUSTOMER : AGENT,
    reason,
    by: by.person,
    signInMethod: by.signInMethod,
    at: when.toISOString(),
  },
});
const cancelled = (step: Step | null, reason = 'Kunden ringde och drog tillbaka beställningen', when = at(45)): OrderCancelled => ({
  type: 'OrderCancelled',
  data: {
    orderId,
    customerOrganisationId: CUSTOMER,
    step,
    organisationId: step === null ? null : step === 'attestation' ? CUSTOMER : AGENT,
    reason,
    by: staff.person,
    signInMethod: staff.signInMethod,
    at: when.toISOString(),
  },
});
const withdraw = (by: Acting, reason: string | null = 'Beställd av misstag', now = at(35)): OrderCommand => ({ type: 'WithdrawOrder', by, reason, now });
const cancel = (by: Acting, reason = 'Kunden ringde och drog tillbaka beställningen', now = at(45)): OrderCommand => ({ type: 'CancelOrder', by, reason, now });

/** Histories leaving the order in each status. */
const direct = {
  'awaiting-attestation': [submitted()],
  attested: [submitted(), attested('attestation', customerAttestant)],
  rejected: [submitted(), rejected('attestation', customerAttestant)],
  fulfilled: [submitted(), attested('attestation', customerAttestant), fulfilled()],
  withdrawn: [submitted(), withdrawn('attestation')],
  cancelled: [submitted(), attested('attestation', customerAttestant), cancelled(null)],
} satisfies Partial<Record<OrderStatus, OrderEvent[]>>;
const viaAgentOrder = {
  'awaiting-agent-approval': [submitted(true)],
  'awaiting-agent-attestation': [submitted(true), approved()],
  'awaiting-attestation': [submitted(true), approved(), attested('agent-attestation', agentAttestant, 'sms-otp')],
  attested: [submitted(true), approved(), attested('agent-attestation', agentAttestant, 'sms-otp'), attested('attestation', customerAttestant)],
  rejected: [submitted(true), approved(), rejected('agent-attestation', agentAttestant)],
  fulfilled: [
    submitted(true),
    approved(),
    attested('agent-attestation', agentAttestant, 'sms-otp'),
    attested('attestation', customerAttestant),
    fulfilled(),
  ],
  withdrawn: [submitted(true), approved(), withdrawn('agent-attestation')],
  cancelled: [submitted(true), cancelled('agent-approval')],
} satisfies Record<OrderStatus, OrderEvent[]>;
const finished = ['attested', 'rejected', 'fulfilled', 'withdrawn', 'cancelled'] as const;

const isCode = (code: string, statusCode: number) => (e: AppError) => e.code === code && e.statusCode === statusCode;
const stateConflict = isCode('ORDER_STATE_CONFLICT', 409);
const statusAfter = (events: readonly OrderEvent[]) => {
  const state = fold(orderDecider, events);
  return state.exists ? state.status : null;
};

describe('orderDecider', () => {
  it('the fixtures leave the order in the status they are named after', () => {
    for (const [status, events] of [...Object.entries(direct), ...Object.entries(viaAgentOrder)]) {
      expect(statusAfter(events)).toBe(status);
    }
  });

  describe('SubmitOrder', () => {
    it('submits a direct order with the offering as it is now, the details, the accepted terms and the orderer', () => {
      spec.given([]).when(submit()).then([submitted()]);
      expect(statusAfter([submitted()])).toBe('awaiting-attestation');
    });

    it('submits an order via an agent of the organisation, which waits for the agent’s approval', () => {
      spec.given([]).when(submit({ viaAgent })).then([submitted(true)]);
      expect(statusAfter([submitted(true)])).toBe('awaiting-agent-approval');
    });

    it('keeps the offering snapshot and details exactly as given, stamped with the command time', () => {
      const later = new Date('2026-04-01T12:34:56.000Z');
      const other: OrderedOffering = { ...offering, version: 7, startupFee: { amount: 0, currency: 'SEK' } };
      const [event] = orderDecider.decide(submit({ offering: other, details: { careUnits: 12 }, now: later }), orderDecider.initialState());
      expect(event).toEqual({
        type: 'OrderSubmitted',
        data: expect.objectContaining({
          offering: other,
          details: { careUnits: 12 },
          termsAccepted: true,
          submittedBy: { accountId: 'acc-olof', name: 'olof' },
          submittedAt: '2026-04-01T12:34:56.000Z',
        }),
      });
    });

    it('lets a member holding several roles, orderer among them, submit', () => {
      const both = acting('bo', { customer: ['attestant', 'orderer'] });
      spec
        .given([])
        .when(submit({ by: both }))
        .then([{ ...submitted(), data: { ...submitted().data, submittedBy: both.person } }]);
    });

    describe('refusals, in order of precedence', () => {
      /** Everything wrong at once; each case below repairs what the earlier refusals check. */
      const allWrong: Partial<Submit> = {
        offering: null,
        detailProblems: [{ field: 'details.careUnits', message: 'must be at least 1' }],
        organisation: { ...organisation, agreementSigned: false, hasAttestant: false, agentOrganisationIds: [] },
        viaAgent,
      };

      it('NotFound when the caller is not a member of the customer organisation', () => {
        spec.given([]).when(submit({ ...allWrong, by: stranger })).thenThrows(NotFound);
        spec.given([]).when(submit({ by: stranger })).thenThrows(NotFound);
        // Membership of the agent organisation does not let one order for the customer.
        spec.given([]).when(submit({ by: agentOrderer, viaAgent })).thenThrows(NotFound);
      });

      it('Forbidden for staff and auditors: they see every organisation but order for none', () => {
        spec.given([]).when(submit({ by: staff })).thenThrows(Forbidden);
        spec.given([]).when(submit({ by: acting('ada', { auditor: true }) })).thenThrows(Forbidden);
      });

      it('Forbidden when the member is not an orderer', () => {
        spec.given([]).when(submit({ ...allWrong, by: customerAttestant })).thenThrows(Forbidden);
        spec.given([]).when(submit({ by: customerMember })).thenThrows(Forbidden);
        spec.given([]).when(submit({ by: acting('x', { customer: ['attestant'], agent: ['orderer'] }), viaAgent })).thenThrows(Forbidden);
      });

      it('422 OFFERING_NOT_AVAILABLE when the offering is not in the catalogue', () => {
        const error = spec.given([]).when(submit(allWrong)).thenThrows(DomainError, isCode('OFFERING_NOT_AVAILABLE', 422));
        expect(error.details).toEqual([{ field: 'offeringId', message: expect.any(String) }]);
        spec.given([]).when(submit({ offering: null })).thenThrows(DomainError, isCode('OFFERING_NOT_AVAILABLE', 422));
      });

      it('400 VALIDATION_FAILED naming every detail that does not fit the offering', () => {
        const problems: ErrorDetail[] = [
          { field: 'details.careUnits', message: 'must be at least 1' },
          { field: 'details.extra', message: 'is not a field of the offering' },
        ];
        const error = spec
          .given([])
          .when(submit({ ...allWrong, offering, detailProblems: problems }))
          .thenThrows(ValidationFailed, isCode('VALIDATION_FAILED', 400));
        expect(error.details).toEqual(problems);
      });

      it('422 AGREEMENT_NOT_SIGNED when the customer agreement is not signed', () => {
        spec
          .given([])
          .when(submit({ ...allWrong, offering, detailProblems: [] }))
          .thenThrows(DomainError, isCode('AGREEMENT_NOT_SIGNED', 422));
        spec
          .given([])
          .when(submit({ organisation: { ...organisation, agreementSigned: false } }))
          .thenThrows(DomainError, isCode('AGREEMENT_NOT_SIGNED', 422));
      });

      it('422 NO_ATTESTANT when the organisation has nobody to attest the order', () => {
        spec
          .given([])
          .when(submit({ ...allWrong, offering, detailProblems: [], organisation: { ...organisation, hasAttestant: false, agentOrganisationIds: [] } }))
          .thenThrows(DomainError, isCode('NO_ATTESTANT', 422));
        spec
          .given([])
          .when(submit({ organisation: { ...organisation, hasAttestant: false } }))
          .thenThrows(DomainError, isCode('NO_ATTESTANT', 422));
      });

      it('422 NOT_AN_AGENT_OF_ORGANISATION when the order goes via an organisation that is not its agent', () => {
        const error = spec
          .given([])
          .when(submit({ ...allWrong, offering, detailProblems: [], organisation: { ...organisation, agentOrganisationIds: [] } }))
          .thenThrows(DomainError, isCode('NOT_AN_AGENT_OF_ORGANISATION', 422));
        expect(error.details).toEqual([{ field: 'viaAgentOrganisationId', message: expect.any(String) }]);
        spec
          .given([])
          .when(submit({ viaAgent: { ...viaAgent, id: 'org-other-agent', name: 'Annan Agent AB' } }))
          .thenThrows(DomainError, isCode('NOT_AN_AGENT_OF_ORGANISATION', 422));
      });

      it('422 NOT_AN_AGENT_OF_ORGANISATION via an agent record merged into another, even while the link to it is still there', () => {
        const error = spec
          .given([])
          .when(submit({ viaAgent: { ...viaAgent, mergedInto: 'org-kept-agent' } }))
          .thenThrows(DomainError, isCode('NOT_AN_AGENT_OF_ORGANISATION', 422));
        expect(error.details).toEqual([{ field: 'viaAgentOrganisationId', message: expect.stringContaining('org-kept-agent') }]);
      });

      it('422 AGENT_CANNOT_ACT via an agent with no orderer, no attestant, or neither: the order would wait for ever', () => {
        for (const [agent, named] of [
          [{ ...viaAgent, hasOrderer: false }, 'orderer'],
          [{ ...viaAgent, hasAttestant: false }, 'attestant'],
          [{ ...viaAgent, hasOrderer: false, hasAttestant: false }, 'orderer and no attestant'],
        ] as const) {
          const error = spec.given([]).when(submit({ viaAgent: agent })).thenThrows(DomainError, isCode('AGENT_CANNOT_ACT', 422));
          expect(error.details).toEqual([{ field: 'viaAgentOrganisationId', message: `the agent has no ${named}` }]);
        }
        // Not its agent comes first: an organisation that is not the agent learns nothing of who it has.
        spec
          .given([])
          .when(submit({ viaAgent: { ...viaAgent, id: 'org-other-agent', hasOrderer: false } }))
          .thenThrows(DomainError, isCode('NOT_AN_AGENT_OF_ORGANISATION', 422));
        // A direct order does not depend on any agent.
        spec.given([]).when(submit()).then([submitted()]);
      });

      it('409 ORDER_EXISTS when the order exists already, whatever its status', () => {
        for (const events of [...Object.values(direct), ...Object.values(viaAgentOrder)]) {
          spec.given(events).when(submit()).thenThrows(DomainError, isCode('ORDER_EXISTS', 409));
          spec.given(events).when(submit({ viaAgent })).thenThrows(DomainError, isCode('ORDER_EXISTS', 409));
        }
      });

      it('as implemented, ORDER_EXISTS is checked before anything else', () => {
        spec.given([submitted()]).when(submit({ ...allWrong, by: stranger })).thenThrows(DomainError, isCode('ORDER_EXISTS', 409));
      });
    });
  });

  describe('ApproveOrder', () => {
    it('lets an orderer of the agent organisation approve at awaiting-agent-approval', () => {
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(approve(agentOrderer)).then([approved()]);
      expect(statusAfter([...viaAgentOrder['awaiting-agent-approval'], approved()])).toBe('awaiting-agent-attestation');
    });

    it('names the agent as the acting organisation and the customer the order is for', () => {
      const [event] = orderDecider.decide(approve(agentOrderer), fold(orderDecider, viaAgentOrder['awaiting-agent-approval']));
      expect(event.data).toMatchObject({ step: 'agent-approval', organisationId: AGENT, customerOrganisationId: CUSTOMER });
    });

    it('Forbidden to members of either organisation without the agent’s orderer role, and to staff', () => {
      for (const by of [agentAttestant, agentMember, customerOrderer, customerAttestant, customerMember, staff]) {
        spec.given(viaAgentOrder['awaiting-agent-approval']).when(approve(by)).thenThrows(Forbidden);
      }
    });

    it('409 ORDER_STATE_CONFLICT for the agent’s orderer after the approval step', () => {
      for (const status of ['awaiting-agent-attestation', 'awaiting-attestation', ...finished] as const) {
        spec.given(viaAgentOrder[status]).when(approve(agentOrderer)).thenThrows(DomainError, stateConflict);
      }
    });

    it('approving twice is refused the second time', () => {
      spec.given([...viaAgentOrder['awaiting-agent-approval'], approved()]).when(approve(agentOrderer)).thenThrows(DomainError, stateConflict);
    });

    it('NotFound for a caller who is in neither organisation, and for an order that does not exist', () => {
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(approve(stranger)).thenThrows(NotFound);
      spec.given([]).when(approve(agentOrderer)).thenThrows(NotFound);
    });

    it('a direct order has no approval step: its orderer and attestant are Forbidden, anyone else NotFound', () => {
      spec.given(direct['awaiting-attestation']).when(approve(customerOrderer)).thenThrows(Forbidden);
      spec.given(direct['awaiting-attestation']).when(approve(customerAttestant)).thenThrows(Forbidden);
      // An orderer of some agent organisation is no member of anything this order involves.
      spec.given(direct['awaiting-attestation']).when(approve(acting('agnes', { agent: null }))).thenThrows(NotFound);
    });
  });

  describe('AttestOrder', () => {
    it('lets an attestant of the agent attest at awaiting-agent-attestation, leading to the customer’s attestation', () => {
      spec
        .given(viaAgentOrder['awaiting-agent-attestation'])
        .when(attest(agentAttestant, 'sms-otp'))
        .then([attested('agent-attestation', agentAttestant, 'sms-otp')]);
      expect(statusAfter(viaAgentOrder['awaiting-attestation'])).toBe('awaiting-attestation');
    });

    it('lets an attestant of the customer attest at awaiting-attestation, via agent or direct: attested', () => {
      spec.given(viaAgentOrder['awaiting-attestation']).when(attest(customerAttestant, 'bankid')).then([attested('attestation', customerAttestant, 'bankid')]);
      spec.given(direct['awaiting-attestation']).when(attest(customerAttestant, 'sms-otp')).then([attested('attestation', customerAttestant, 'sms-otp')]);
      expect(statusAfter([...direct['awaiting-attestation'], attested('attestation', customerAttestant)])).toBe('attested');
    });

    it('the event names the step, the acting organisation, the method and the customer', () => {
      const [agentStep] = orderDecider.decide(attest(agentAttestant, 'sms-otp'), fold(orderDecider, viaAgentOrder['awaiting-agent-attestation']));
      expect(agentStep.data).toMatchObject({ step: 'agent-attestation', organisationId: AGENT, method: 'sms-otp', customerOrganisationId: CUSTOMER });
      const [customerStep] = orderDecider.decide(attest(customerAttestant, 'bankid'), fold(orderDecider, viaAgentOrder['awaiting-attestation']));
      expect(customerStep.data).toMatchObject({ step: 'attestation', organisationId: CUSTOMER, method: 'bankid', customerOrganisationId: CUSTOMER });
    });

    it('an attestant of both organisations attests each step once, as each step comes', () => {
      const first = viaAgentOrder['awaiting-agent-attestation'];
      spec.given(first).when(attest(doubleAttestant, 'bankid')).then([attested('agent-attestation', doubleAttestant, 'bankid')]);
      const second = [...first, attested('agent-attestation', doubleAttestant, 'bankid')];
      spec.given(second).when(attest(doubleAttestant, 'bankid')).then([attested('attestation', doubleAttestant, 'bankid')]);
      spec.given([...second, attested('attestation', doubleAttestant)]).when(attest(doubleAttestant)).thenThrows(DomainError, stateConflict);
    });

    it('at most one attestation per step: attesting twice at the same step is refused the second time', () => {
      spec.given([...direct['awaiting-attestation'], attested('attestation', customerAttestant)]).when(attest(customerAttestant)).thenThrows(DomainError, stateConflict);
      // Another attestant of the same organisation cannot add a second attestation either.
      spec
        .given([...direct['awaiting-attestation'], attested('attestation', customerAttestant)])
        .when(attest(acting('greta', { customer: ['attestant'] })))
        .thenThrows(DomainError, stateConflict);
      spec.given(viaAgentOrder['awaiting-attestation']).when(attest(agentAttestant)).thenThrows(DomainError, stateConflict);
    });

    it('409 ORDER_STATE_CONFLICT for an attestant whose step is not now', () => {
      // The customer's attestant while the agent has not approved or attested yet.
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(attest(customerAttestant)).thenThrows(DomainError, stateConflict);
      spec.given(viaAgentOrder['awaiting-agent-attestation']).when(attest(customerAttestant)).thenThrows(DomainError, stateConflict);
      // The agent's attestant before the agent's approval.
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(attest(agentAttestant)).thenThrows(DomainError, stateConflict);
    });

    it('409 ORDER_STATE_CONFLICT on a finished order', () => {
      for (const status of finished) {
        spec.given(direct[status]).when(attest(customerAttestant)).thenThrows(DomainError, stateConflict);
        spec.given(viaAgentOrder[status]).when(attest(customerAttestant)).thenThrows(DomainError, stateConflict);
        spec.given(viaAgentOrder[status]).when(attest(agentAttestant)).thenThrows(DomainError, stateConflict);
      }
    });

    it('Forbidden to members without an attestant role in the order, and to staff', () => {
      for (const by of [agentOrderer, agentMember, customerOrderer, customerMember, staff]) {
        for (const status of ['awaiting-agent-approval', 'awaiting-agent-attestation', 'awaiting-attestation'] as const) {
          spec.given(viaAgentOrder[status]).when(attest(by)).thenThrows(Forbidden);
        }
      }
      spec.given(direct['awaiting-attestation']).when(attest(customerOrderer)).thenThrows(Forbidden);
    });

    it('a direct order has no agent attestation: an agent attestant elsewhere is NotFound', () => {
      spec.given(direct['awaiting-attestation']).when(attest(acting('arvid', { agent: null }))).thenThrows(NotFound);
      spec.given(direct['awaiting-attestation']).when(attest(stranger)).thenThrows(NotFound);
    });

    it('NotFound for an order that does not exist', () => {
      spec.given([]).when(attest(customerAttestant)).thenThrows(NotFound);
    });
  });

  describe('RejectOrder', () => {
    it('at agent-approval, by an orderer of the agent', () => {
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(reject(agentOrderer, 'Inte vår kund')).then([rejected('agent-approval', agentOrderer, 'Inte vår kund')]);
    });

    it('at agent-attestation, by an attestant of the agent', () => {
      spec.given(viaAgentOrder['awaiting-agent-attestation']).when(reject(agentAttestant)).then([rejected('agent-attestation', agentAttestant)]);
    });

    it('at attestation, by an attestant of the customer, via agent or direct', () => {
      spec.given(viaAgentOrder['awaiting-attestation']).when(reject(customerAttestant)).then([rejected('attestation', customerAttestant)]);
      spec.given(direct['awaiting-attestation']).when(reject(customerAttestant, 'För dyrt')).then([rejected('attestation', customerAttestant, 'För dyrt')]);
    });

    it('the event names the step, the acting organisation, the customer and the reason; the order is rejected', () => {
      const [event] = orderDecider.decide(reject(agentOrderer, 'Okänd kund'), fold(orderDecider, viaAgentOrder['awaiting-agent-approval']));
      expect(event.data).toMatchObject({ step: 'agent-approval', organisationId: AGENT, customerOrganisationId: CUSTOMER, reason: 'Okänd kund' });
      expect(statusAfter([...viaAgentOrder['awaiting-agent-approval'], event])).toBe('rejected');
    });

    it('409 ORDER_STATE_CONFLICT for someone who may act at another step of the order', () => {
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(reject(customerAttestant)).thenThrows(DomainError, stateConflict);
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(reject(agentAttestant)).thenThrows(DomainError, stateConflict);
      spec.given(viaAgentOrder['awaiting-agent-attestation']).when(reject(agentOrderer)).thenThrows(DomainError, stateConflict);
      spec.given(viaAgentOrder['awaiting-agent-attestation']).when(reject(customerAttestant)).thenThrows(DomainError, stateConflict);
      spec.given(viaAgentOrder['awaiting-attestation']).when(reject(agentOrderer)).thenThrows(DomainError, stateConflict);
      spec.given(viaAgentOrder['awaiting-attestation']).when(reject(agentAttestant)).thenThrows(DomainError, stateConflict);
    });

    it('409 ORDER_STATE_CONFLICT on a finished order', () => {
      for (const status of finished) {
        spec.given(direct[status]).when(reject(customerAttestant)).thenThrows(DomainError, stateConflict);
        for (const by of [agentOrderer, agentAttestant, customerAttestant]) {
          spec.given(viaAgentOrder[status]).when(reject(by)).thenThrows(DomainError, stateConflict);
        }
      }
    });

    it('Forbidden to members without a role for any step, the orderer who submitted it included, and to staff', () => {
      for (const by of [customerOrderer, customerMember, agentMember, staff]) {
        spec.given(viaAgentOrder['awaiting-agent-approval']).when(reject(by)).thenThrows(Forbidden);
        spec.given(viaAgentOrder['awaiting-attestation']).when(reject(by)).thenThrows(Forbidden);
      }
      spec.given(direct['awaiting-attestation']).when(reject(customerOrderer)).thenThrows(Forbidden);
    });

    it('NotFound for a caller in neither organisation, and for an order that does not exist', () => {
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(reject(stranger)).thenThrows(NotFound);
      spec.given(direct['awaiting-attestation']).when(reject(acting('agnes', { agent: null }))).thenThrows(NotFound);
      spec.given([]).when(reject(customerAttestant)).thenThrows(NotFound);
    });
  });

  describe('FulfilOrder', () => {
    it('lets staff fulfil an attested order, with instructions', () => {
      spec.given(direct.attested).when(fulfil(staff)).then([fulfilled()]);
      spec.given(viaAgentOrder.attested).when(fulfil(staff, 'Anslutning kan börja')).then([fulfilled(staff, 'Anslutning kan börja')]);
      const state = fold(orderDecider, [...direct.attested, fulfilled()]);
      expect(state).toMatchObject({ status: 'fulfilled', instructions: 'Vi kontaktar er om anslutning.' });
    });

    it('409 ORDER_STATE_CONFLICT before the order is attested, or when it is rejected or fulfilled', () => {
      for (const status of ['awaiting-agent-approval', 'awaiting-agent-attestation', 'awaiting-attestation', 'rejected', 'fulfilled'] as const) {
        spec.given(viaAgentOrder[status]).when(fulfil(staff)).thenThrows(DomainError, stateConflict);
      }
      spec.given(direct['awaiting-attestation']).when(fulfil(staff)).thenThrows(DomainError, stateConflict);
    });

    it('Forbidden to anyone who sees the order but is not staff', () => {
      for (const by of [customerAttestant, customerOrderer, agentOrderer, agentAttestant, doubleAttestant]) {
        spec.given(viaAgentOrder.attested).when(fulfil(by)).thenThrows(Forbidden);
      }
    });

    it('NotFound for an order that does not exist', () => {
      spec.given([]).when(fulfil(staff)).thenThrows(NotFound);
    });

    it('NotFound, not Forbidden, for a caller who cannot see the order (API: never reveal another organisation’s data)', () => {
      spec.given(direct.attested).when(fulfil(stranger)).thenThrows(NotFound);
    });
  });

  describe('WithdrawOrder', () => {
    it('lets the orderer who submitted it withdraw the order at any waiting step, naming that step and whose turn it was', () => {
      spec.given(direct['awaiting-attestation']).when(withdraw(customerOrderer)).then([withdrawn('attestation')]);
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(withdraw(customerOrderer)).then([withdrawn('agent-approval')]);
      spec.given(viaAgentOrder['awaiting-agent-attestation']).when(withdraw(customerOrderer)).then([withdrawn('agent-attestation')]);
      spec.given(viaAgentOrder['awaiting-attestation']).when(withdraw(customerOrderer)).then([withdrawn('attestation')]);
    });

    it('the reason is optional; the order is withdrawn and nobody waits for it any more', () => {
      spec.given(direct['awaiting-attestation']).when(withdraw(customerOrderer, null)).then([withdrawn('attestation', null)]);
      const state = fold(orderDecider, [...direct['awaiting-attestation'], withdrawn('attestation', null)]);
      expect(state).toMatchObject({ status: 'withdrawn' });
      expect(stepsOf(state)).toEqual([
        { step: 'withdrawal', organisationId: CUSTOMER, by: customerOrderer.person, at: at(35).toISOString(), method: null, signInMethod: 'bankid', outcome: 'withdrawn' },
      ]);
      expect(stepOf('withdrawn')).toBeNull();
    });

    it('409 ORDER_STATE_CONFLICT once the order waits for nobody: attested, rejected, fulfilled, withdrawn or cancelled', () => {
      for (const status of finished) {
        spec.given(viaAgentOrder[status]).when(withdraw(customerOrderer)).thenThrows(DomainError, stateConflict);
        spec.given(direct[status]).when(withdraw(customerOrderer)).thenThrows(DomainError, stateConflict);
      }
    });

    it('Forbidden to anyone else who sees the order: another orderer, the attestants, the agent, staff and auditors', () => {
      const otherOrderer = acting('otto', { customer: ['orderer'] });
      for (const by of [otherOrderer, customerAttestant, customerMember, agentOrderer, agentAttestant, staff, acting('ada', { auditor: true })]) {
        spec.given(viaAgentOrder['awaiting-agent-approval']).when(withdraw(by)).thenThrows(Forbidden);
      }
      // The submitter who is no longer a member of the customer organisation (seen through the agent) may not.
      const formerMember: Acting = { ...customerOrderer, customer: { member: false, roles: [] }, agent: { member: true, roles: [] } };
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(withdraw(formerMember)).thenThrows(Forbidden);
    });

    it('NotFound for a caller who cannot see the order, and for an order that does not exist', () => {
      spec.given(direct['awaiting-attestation']).when(withdraw(stranger)).thenThrows(NotFound);
      spec.given(direct['awaiting-attestation']).when(withdraw({ ...customerOrderer, customer: { member: false, roles: [] } })).thenThrows(NotFound);
      spec.given([]).when(withdraw(customerOrderer)).thenThrows(NotFound);
    });
  });

  describe('CancelOrder', () => {
    it('lets staff cancel an order at any waiting step, or attested, with a reason', () => {
      spec.given(viaAgentOrder['awaiting-agent-approval']).when(cancel(staff)).then([cancelled('agent-approval')]);
      spec.given(viaAgentOrder['awaiting-agent-attestation']).when(cancel(staff)).then([cancelled('agent-attestation')]);
      spec.given(viaAgentOrder['awaiting-attestation']).when(cancel(staff)).then([cancelled('attestation')]);
      spec.given(direct['awaiting-attestation']).when(cancel(staff)).then([cancelled('attestation')]);
      spec.given(direct.attested).when(cancel(staff)).then([cancelled(null)]);
      const state = fold(orderDecider, viaAgentOrder.cancelled);
      expect(state).toMatchObject({ status: 'cancelled' });
      expect(stepsOf(state).at(-1)).toEqual({
        step: 'cancellation',
        organisationId: null,
        by: staff.person,
        at: at(45).toISOString(),
        method: null,
        signInMethod: 'siths',
        outcome: 'cancelled',
        reason: 'Kunden ringde och drog tillbaka beställningen',
      });
    });

    it('409 ORDER_STATE_CONFLICT once fulfilled, rejected, withdrawn or cancelled', () => {
      for (const status of ['rejected', 'fulfilled', 'withdrawn', 'cancelled'] as const) {
        spec.given(viaAgentOrder[status]).when(cancel(staff)).thenThrows(DomainError, stateConflict);
        spec.given(direct[status]).when(cancel(staff)).thenThrows(DomainError, stateConflict);
      }
    });

    it('Forbidden to anyone who sees the order but is not staff (the submitter withdraws instead); NotFound to others', () => {
      for (const by of [customerOrderer, customerAttestant, agentOrderer, agentAttestant, acting('ada', { auditor: true })]) {
        spec.given(viaAgentOrder['awaiting-agent-approval']).when(cancel(by)).thenThrows(Forbidden);
      }
      spec.given(direct['awaiting-attestation']).when(cancel(stranger)).thenThrows(NotFound);
      spec.given([]).when(cancel(staff)).thenThrows(NotFound);
    });
  });

  describe('evolve', () => {
    const fullAgentFlow = viaAgentOrder.fulfilled;

    /** Deep-freezes so that any mutation of an event or a state fails loudly. */
    const frozen = <T>(value: T): T => {
      if (value && typeof value === 'object') {
        for (const v of Object.values(value)) frozen(v);
        Object.freeze(value);
      }
      return value;
    };

    it('is deterministic: the same events give the same state, without touching the events or the earlier state', () => {
      const events = frozen(structuredClone(fullAgentFlow));
      const states: OrderState[] = [];
      let state = frozen(orderDecider.initialState());
      for (const event of events) {
        state = frozen(orderDecider.evolve(state, event));
        states.push(state);
      }
      expect(fold(orderDecider, events)).toEqual(state);
      expect(fold(orderDecider, structuredClone(fullAgentFlow))).toEqual(state);
      // Each intermediate state is still what it was when made.
      expect(states.map((s) => (s.exists ? s.status : null))).toEqual([
        'awaiting-agent-approval',
        'awaiting-agent-attestation',
        'awaiting-attestation',
        'attested',
        'fulfilled',
      ]);
      expect(states.map((s) => (s.exists ? stepsOf(s).length : -1))).toEqual([0, 1, 2, 3, 4]);
      // Each step is put in front of the ones before, which are shared, not copied.
      for (let i = 2; i < states.length; i++) {
        const [before, now] = [states[i - 1], states[i]];
        expect(now.exists && before.exists && now.trail?.earlier).toBe(before.exists && before.trail);
      }
    });

    it('records each step: who, when, which organisation, the method and the outcome', () => {
      const state = fold(orderDecider, fullAgentFlow);
      const steps: StepRecord[] = [
        { step: 'agent-approval', organisationId: AGENT, by: agentOrderer.person, at: at(10).toISOString(), method: null, signInMethod: 'bankid', outcome: 'approved' },
        { step: 'agent-attestation', organisationId: AGENT, by: agentAttestant.person, at: at(20).toISOString(), method: 'sms-otp', signInMethod: 'bankid', outcome: 'attested' },
        { step: 'attestation', organisationId: CUSTOMER, by: customerAttestant.person, at: at(20).toISOString(), method: 'bankid', signInMethod: 'bankid', outcome: 'attested' },
        { step: 'fulfilment', organisationId: null, by: staff.person, at: at(40).toISOString(), method: null, signInMethod: 'siths', outcome: 'fulfilled' },
      ];
      expect(stepsOf(state)).toEqual(steps);
      expect(state).toEqual({
        exists: true,
        status: 'fulfilled',
        order: submitted(true).data,
        trail: expect.objectContaining({ count: 4, latest: steps[3] }),
        instructions: 'Vi kontaktar er om anslutning.',
      });
    });

    it('records a rejection with its step, organisation and reason', () => {
      const state = fold(orderDecider, [...direct['awaiting-attestation'], rejected('attestation', customerAttestant, 'För dyrt')]);
      const rejection: StepRecord = {
        step: 'attestation',
        organisationId: CUSTOMER,
        by: customerAttestant.person,
        at: at(30).toISOString(),
        method: null,
        signInMethod: 'bankid',
        outcome: 'rejected',
        reason: 'För dyrt',
      };
      expect(state).toEqual({
        exists: true,
        status: 'rejected',
        order: submitted().data,
        trail: { latest: rejection, count: 1, earlier: null },
        instructions: null,
      });
    });

    it('a submitted order has no steps and no instructions yet', () => {
      expect(fold(orderDecider, [submitted()])).toEqual({ exists: true, status: 'awaiting-attestation', order: submitted().data, trail: null, instructions: null });
    });

    it('replays steps recorded before events named the sign-in method: the method is unknown (null), never the attestation method', () => {
      const old = attested('attestation', customerAttestant, 'sms-otp');
      delete (old.data as { signInMethod?: unknown }).signInMethod;
      const [step] = stepsOf(fold(orderDecider, [submitted(), old]));
      expect(step).toMatchObject({ method: 'sms-otp', signInMethod: null, outcome: 'attested' });
    });

    it('ignores step events that come before any submission', () => {
      for (const event of [approved(), attested('attestation', customerAttestant), rejected('attestation', customerAttestant), fulfilled()]) {
        expect(orderDecider.evolve(orderDecider.initialState(), event)).toEqual({ exists: false });
      }
    });
  });
});

describe('orderDecider › auditors', () => {
  it('see every order but may act on none (403, not 404)', () => {
    const auditor = acting('ada', { auditor: true });
    const spec = DeciderSpecification.for(orderDecider);
    const history = [submitted()];
    spec.given(history).when({ type: 'AttestOrder', by: auditor, method: 'bankid', now: submittedAt }).thenThrows(Forbidden);
    spec.given(history).when({ type: 'RejectOrder', by: auditor, reason: 'no', now: submittedAt }).thenThrows(Forbidden);
    spec.given(history).when({ type: 'FulfilOrder', by: auditor, instructions: 'x', now: submittedAt }).thenThrows(Forbidden);
  });

  it('take no part even when they also hold the roles in the organisations (separation of duties)', () => {
    const auditorWithRoles = acting('rut', { auditor: true, customer: ['orderer', 'attestant'], agent: ['orderer', 'attestant'] });
    const spec = DeciderSpecification.for(orderDecider);
    spec.given([]).when(submit({ by: auditorWithRoles })).thenThrows(Forbidden);
    spec.given([submitted()]).when({ type: 'AttestOrder', by: auditorWithRoles, method: 'bankid', now: submittedAt }).thenThrows(Forbidden);
    spec.given([submitted()]).when({ type: 'RejectOrder', by: auditorWithRoles, reason: 'no', now: submittedAt }).thenThrows(Forbidden);
  });
});
