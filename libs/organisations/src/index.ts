export * from './roles';
export * from './commands';
export * from './organisation.queries';
export { ORGANISATION_PROJECTIONS, OrganisationDoc, MemberDoc, MemberStatus, ApplicationDoc } from './organisation.projections';
export { OrganisationsModule } from './organisations.module';
export type {
  OrganisationRegistered,
  MemberJoined,
  AgreementSigned,
  JoinRequested,
  JoinRequestDeclined,
  MemberInvited,
  MemberRemoved,
} from './organisation/organisation.events';
export { InvitationTokens, INVITATION_TTL_MS } from './organisation.handlers';
export type { CustomerApplicationRejected } from './application/application.events';
export { ORGANISATION_EVENT_TYPES } from './organisation/organisation.events';
export * from './organisation.facts';
export { AgentLinksReactor } from './agent-links.reactor';
export { OrganisationDirectory, OrganisationDirectoryDoc, organisationDirectoryProjection } from './organisation-directory';
