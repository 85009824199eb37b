import { Inject, Injectable } from '@nestjs/common';
import { RecordedEvent } from '@kundportal/eventstore';
import { APP_CONFIG, AppConfig } from '@kundportal/kernel';
import type { OrganisationRegistered } from '@kundportal/organisations';
import { IndexSpec, Projection, ProjectionContext } from '@kundportal/readstore';
import { OUTBOX, outboxEntry, OutboxDoc } from './outbox';
import { RenderedMail, templates } from './templates';

/**
 * Turns events into e-mails in the outbox. A reactor: its checkpoint and outbox survive read-model
 * rebuilds, and each entry's id is the event's id and recipient, so a replay queues nothing twice.
 */
@Injectable()
export class MailReactor implements Projection {
  readonly name = 'mail-reactor';
  readonly version = 1;
  readonly reactor = true;
  readonly collections: Record<string, IndexSpec[]> = {
    [OUTBOX]: [{ keys: { sentAt: 1, createdAt: 1 } }, { keys: { to: 1, createdAt: 1 } }],
  };
  readonly eventTypes = ['OrganisationRegistered'];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  apply(event: RecordedEvent, ctx: ProjectionContext): void {
    const outbox = ctx.collection<OutboxDoc>(OUTBOX);
    const queue = (to: string, mail: RenderedMail) => {
      const address = to.toLowerCase();
      const entry = outboxEntry(`${event.id}:${mail.template}:${address}`, address, mail, event.metadata.occurredAt);
      outbox.updateOne(entry.filter, entry.update, { upsert: true });
    };
    switch (event.type) {
      case 'OrganisationRegistered': {
        const d = (event as unknown as OrganisationRegistered).data;
        const base = this.config.publicBaseUrl;
        queue(d.administrator.email, templates.organisationApprovedAdministrator({ name: d.administrator.name, organisationName: d.name, link: `${base}/` }));
        queue(
          d.signatory.email,
          templates.agreementToSign({
            name: d.signatory.name,
            organisationName: d.name,
            organisationId: d.organisationId,
            link: `${base}/organisations/${d.organisationId}/agreement`,
          }),
        );
        queue(d.agreementContact.email, templates.agreementContactInformation({ name: d.agreementContact.name, organisationName: d.name }));
        break;
      }
    }
  }
}
