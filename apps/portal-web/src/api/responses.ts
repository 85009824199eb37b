/**
 * Answers of the operations whose OpenAPI entry does not yet declare a response schema. Paths,
 * parameters and request bodies come from the generated document (schema.gen.ts); these go as
 * the operations gain response schemas. Shapes are those of the HTTP contract.
 */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: Array<{ field: string; message: string }>;
}

export interface CommandAnswer {
  id: string;
  position: string;
}

export type Role = 'administrator' | 'orderer' | 'attestant' | 'signatory';

export interface Me {
  accountId: string | null;
  name: string;
  email: string | null;
  personalNumber: string | null;
  method: string;
  staff: boolean;
  auditor: boolean;
  organisations: Array<{ id: string; name: string; organisationNumber: string; roles: Role[]; agreementSigned: boolean; canOrder: boolean }>;
  pendingOrganisations?: Array<{ id: string; name: string }>;
}

export interface Notifications {
  badge: { total: number; approvals: number; unreadTickets: number; agreementsToSign: number; joinRequests?: number };
  items: Array<{ kind: 'approval' | 'ticket-reply' | 'agreement-to-sign'; refId: string; title: string; at: string }>;
}

export interface Organisation {
  id: string;
  name: string;
  organisationNumber: string;
  agreement: { status: 'awaiting-signature' | 'signed'; signedAt: string | null; signedBy: { id: string; name: string } | null };
  agentOrganisationIds: string[];
}

export interface Member {
  accountId: string;
  name: string;
  email: string;
  roles: Role[];
}

export interface Catalogue {
  items: Array<{
    id: string;
    name: string;
    offerings: Array<{ id: string; name: string; startupFee: { amount: number; currency: string }; fields: Array<{ name: string; label: string; type: string; required: boolean; min?: number }> }>;
  }>;
}

export interface OrderSummary {
  id: string;
  organisationId: string;
  organisationName: string;
  offeringId: string;
  offeringName: string;
  status: string;
  submittedAt: string;
  lastChangedAt: string;
}

export interface Order extends OrderSummary {
  details: Record<string, unknown>;
  viaAgentOrganisationId: string | null;
  submittedBy: { accountId: string; name: string };
  steps: Array<{ step: string; organisationId: string | null; by: { name: string }; at: string; method: string | null; outcome: string; reason?: string }>;
}

export interface Approval {
  orderId: string;
  step: 'agent-approval' | 'agent-attestation' | 'attestation';
  customerOrganisationId: string;
  customerOrganisationName: string;
  offeringName: string;
  submittedAt: string;
  submittedBy: { name: string };
}

export interface TicketSummary {
  id: string;
  number: string;
  subject: string;
  type: string;
  status: string;
  createdAt: string;
  lastActivityAt: string;
  unread: boolean;
}

export interface Attachment {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

export interface Ticket {
  id: string;
  number: string;
  type: string;
  subject: string;
  description: string;
  status: string;
  requester: { accountId: string | null; name: string };
  collaborators: Array<{ accountId: string; name: string }>;
  messages: Array<{ id: string; author: { name: string; staff: boolean }; body: string; at: string; attachments?: Attachment[] }>;
  attachments: Attachment[];
  createdAt: string;
  lastActivityAt: string;
}

export interface Page<T> {
  items: T[];
  total?: number;
}
