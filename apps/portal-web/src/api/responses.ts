import type { components } from './schema.gen';

/**
 * Answers the UI reads, as the service's OpenAPI document declares them (schema.gen.ts is
 * generated from it at build time). Commands and errors are not declared there yet: their shapes
 * below are the contract's (API.md).
 */
type Schemas = components['schemas'];

export type Notifications = Schemas['NotificationsDto'];
export type Approval = Schemas['ApprovalDto'];
export type Attachment = Schemas['AttachmentDto'];

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

/** `GET /organisations/:orgId/join-requests` (not declared in the OpenAPI document yet; the contract's shape). */
export interface JoinRequests {
  items: Array<{ accountId: string; name: string; email: string; requestedAt: string }>;
  total: number;
}

/** A command that joins an organisation (`POST /accounts`, `POST /me/organisations`, `POST /invitations/accept`). */
export type JoinAnswer = CommandAnswer & { organisationId: string; membership: 'active' | 'pending' };
