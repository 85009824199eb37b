export * from './principal';
export * from './token.service';
export * from './commands';
export * from './account.queries';
export { AccountDoc, accountsProjection } from './account.projection';
export { IdentityModule } from './identity.module';
export { ACCOUNT_EID_METHODS } from './account.decider';
export { MembershipReactor } from './membership.reactor';
export { accountIdFor } from './account.handlers';
