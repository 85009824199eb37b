import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordedEvent } from '@kundportal/eventstore';
import { derivedId } from '@kundportal/kernel';
import { JoinOrganisation, Role } from '@kundportal/organisations';
import { IndexSpec, Projection } from '@kundportal/readstore';
import { AccountCreated, AccountImported } from './account.events';

/**
 * Every created or imported account asks to join the organisation it named (an imported one, and a
 * staff-approved registration, join active; an imported one with its old roles). Account creation
 * does this itself; this reactor finishes the step when a crash came between the two writes.
 * Joining is idempotent and `onlyIfNew`, so replays, the request's own join, and people who were
 * declined or have left since change nothing.
 */
@Injectable()
export class MembershipReactor implements Projection {
  readonly name = 'membership-reactor';
  readonly version = 1;
  readonly reactor = true;
  readonly collections: Record<string, IndexSpec[]> = {};
  readonly eventTypes = ['AccountCreated', 'AccountImported'];

  constructor(private readonly commandBus: CommandBus) {}

  async apply(event: RecordedEvent): Promise<void> {
    const { organisationId, member } = joining(event);
    await this.commandBus.execute(
      new JoinOrganisation(
        organisationId,
        member,
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

/** Who joins which organisation, as the account event says. */
function joining(event: RecordedEvent) {
  if (event.type === 'AccountImported') {
    const d = (event as unknown as AccountImported).data;
    return {
      organisationId: d.organisationId,
      member: { accountId: d.accountId, name: d.name, email: d.email, personalNumberDigest: null, roles: d.roles as Role[], preapproved: true, onlyIfNew: true },
    };
  }
  const d = (event as unknown as AccountCreated).data;
  const preapproved = d.method === 'password';
  return { organisationId: d.organisationId, member: { accountId: d.accountId, name: d.name, email: d.email, personalNumberDigest: d.personalNumberDigest, preapproved, onlyIfNew: true } };
}
