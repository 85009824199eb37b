export * from './mail/mail-transport';
export { SmtpMailTransport, MailDeliveryError, isPermanentMailFailure } from './mail/smtp-mail-transport';
export * from './notification.queries';
export { MailReactor } from './mail.reactor';
export { OutboxDispatcher, OUTBOX, OutboxDoc } from './outbox';
export { NotificationsModule } from './notifications.module';
export { LiveNotices, DEFAULT_LIVE_NOTICE_LIMITS } from './live-notices';
export type { BadgeSink, Badge, LiveNoticeLimits } from './live-notices';
