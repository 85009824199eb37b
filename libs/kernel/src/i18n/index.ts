export * from './languages';
export * from './i18n';
export { sv } from './sv';
export { en } from './en';
export type { Resources } from './en';
