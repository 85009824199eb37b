export { MAIL_TRANSPORT } from './mail-transport';
export type { MailTransport, OutgoingMail } from './mail-transport';
export {
  MailDeliveryError,
  SmtpMailTransport,
  TEMPLATE_HEADER,
  isPermanentMailFailure,
} from './smtp-mail-transport';
export type { SmtpMailTransportOptions } from './smtp-mail-transport';
