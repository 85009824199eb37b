export * from './roles';
export * from './commands';
export * from './organisation.queries';
export { ORGANISATION_PROJECTIONS, OrganisationDoc, MemberDoc, ApplicationDoc } from './organisation.projections';
export { OrganisationsModule } from './organisations.module';
export type { OrganisationRegistered, MemberJoined, AgreementSigned } from './organisation/organisation.events';
export { ORGANISATION_EVENT_TYPES } from './organisation/organisation.events';
export * from './organisation.facts';
export { OrganisationDirectory, OrganisationDirectoryDoc, organisationDirectoryProjection } from './organisation-directory';
