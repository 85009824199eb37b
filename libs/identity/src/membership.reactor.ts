import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordedEvent } from '@kundportal/eventstore';
import { derivedId } from '@kundportal/kernel';
import { JoinOrganisation } from '@kundportal/organisations';
import { IndexSpec, Projection } from '@kundportal/readstore';
import { AccountCreated } from './account.events';

/**
 * Every created account joins its organisation. Account creation does this itself; this reactor
 * finishes the step when a crash came between the two writes. Joining is idempotent, so replays
 * and the request's own join change nothing.
 */
@Injectable()
export class MembershipReactor implements Projection {
  readonly name = 'membership-reactor';
  readonly version = 1;
  readonly reactor = true;
  readonly collections: Record<string, IndexSpec[]> = {};
  readonly eventTypes = ['AccountCreated'];

  constructor(private readonly commandBus: CommandBus) {}

  async apply(event: RecordedEvent): Promise<void> {
    const { accountId, organisationId, name, email, personalNumberDigest } = (event as unknown as AccountCreated).data;
    await this.commandBus.execute(
      new JoinOrganisation(
        organisationId,
        { accountId, name, email, personalNumberDigest },
        {
          actor: event.metadata.actor,
          now: new Date(event.metadata.occurredAt),
          correlationId: event.metadata.correlationId,
          commandId: derivedId('join-organisation', event.id),
        },
      ),
    );
  }
}
