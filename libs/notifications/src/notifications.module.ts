import { Module } from '@nestjs/common';
import { IdentityModule } from '@kundportal/identity';
import { APP_CONFIG, AppConfig } from '@kundportal/kernel';
import { OrderingModule } from '@kundportal/ordering';
import { OrganisationsModule } from '@kundportal/organisations';
import { TicketingModule } from '@kundportal/ticketing';
import { MailReactor } from './mail.reactor';
import { MAIL_TRANSPORT } from './mail/mail-transport';
import { SmtpMailTransport } from './mail/smtp-mail-transport';
import { NotificationQueries } from './notification.queries';
import { LogMailTransport, OutboxDispatcher } from './outbox';

@Module({
  imports: [OrganisationsModule, OrderingModule, TicketingModule, IdentityModule],
  providers: [
    MailReactor,
    NotificationQueries,
    OutboxDispatcher,
    {
      provide: MAIL_TRANSPORT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.mail.smtpUrl ? new SmtpMailTransport(config.mail.smtpUrl, config.mail.from) : new LogMailTransport(),
    },
  ],
  exports: [MailReactor, NotificationQueries, OutboxDispatcher],
})
export class NotificationsModule {}
