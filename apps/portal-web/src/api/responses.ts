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

/** A command that joins an organisation (`POST /accounts`, `POST /me/organisations`, `POST /invitations/accept`). */
export type JoinAnswer = CommandAnswer & { organisationId: string; membership: 'active' | 'pending' };
