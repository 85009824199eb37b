export const ROLES = ['administrator', 'orderer', 'attestant', 'signatory'] as const;
export type Role = (typeof ROLES)[number];
