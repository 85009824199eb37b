import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordedEvent } from '@kundportal/eventstore';
import { CommandContext, derivedId } from '@kundportal/kernel';
import { IndexSpec, Projection, ProjectionContext } from '@kundportal/readstore';
import { MoveMergedAgent } from './commands';
import { OrganisationFactsReader } from './organisation.facts';
import type { AgentLinked, AgentUnlinked, DuplicateOrganisationAbsorbed, OrganisationMergedInto } from './organisation/organisation.events';

export const AGENT_LINKS = 'agent_links';

/** One organisation's link to its agent, kept by this reactor for its own use. */
export interface AgentLinkDoc {
  _id: string;
  organisationId: string;
  agentOrganisationId: string;
  [key: string]: unknown;
}

/**
 * A merged organisation record is nobody's agent: each organisation's link to it moves to the record
 * it was merged into (a merge joins two records of one organisation, and the customers chose that
 * organisation as their agent). A reactor, so the move survives crashes and read-model rebuilds:
 * - it keeps its own index of who is whose agent (never dropped by a rebuild, unlike the read
 *   models, and never behind the merge it reacts to, since it reads the log in order);
 * - on a merge it moves every link to the merged record; on a link made to a record that is
 *   merged already (a link racing the merge) it moves that link at once, reading the write side;
 * - moving is idempotent, so an event replayed after a crash changes nothing.
 * Started on a log that has merges already, it moves the links those left behind.
 */
@Injectable()
export class AgentLinksReactor implements Projection {
  readonly name = 'agent-links-reactor';
  readonly version = 1;
  readonly reactor = true;
  readonly collections: Record<string, IndexSpec[]> = { [AGENT_LINKS]: [{ keys: { agentOrganisationId: 1 } }] };
  readonly eventTypes = ['AgentLinked', 'AgentUnlinked', 'DuplicateOrganisationAbsorbed', 'OrganisationMergedInto'];

  constructor(private readonly commandBus: CommandBus, private readonly facts: OrganisationFactsReader) {}

  async apply(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
    const links = ctx.collection<AgentLinkDoc>(AGENT_LINKS);
    switch (event.type) {
      case 'AgentLinked': {
        const d = (event as unknown as AgentLinked).data;
        return this.linked(event, links, d.organisationId, [d.agentOrganisationId]);
      }
      case 'DuplicateOrganisationAbsorbed': {
        const d = (event as unknown as DuplicateOrganisationAbsorbed).data;
        return this.linked(event, links, d.organisationId, d.agentOrganisationIds.filter((a) => a !== d.organisationId));
      }
      case 'AgentUnlinked': {
        const d = (event as unknown as AgentUnlinked).data;
        links.deleteOne({ _id: linkId(d.organisationId, d.agentOrganisationId) });
        return;
      }
      case 'OrganisationMergedInto': {
        const d = (event as unknown as OrganisationMergedInto).data;
        for (const link of await links.find({ agentOrganisationId: d.organisationId }, { sort: { _id: 1 } })) {
          await this.move(event, link.organisationId, d.organisationId);
        }
        return;
      }
    }
  }

  private async linked(event: RecordedEvent, links: ReturnType<ProjectionContext['collection']>, organisationId: string, agents: string[]): Promise<void> {
    for (const agentOrganisationId of agents) {
      const _id = linkId(organisationId, agentOrganisationId);
      links.replaceOne({ _id }, { _id, organisationId, agentOrganisationId }, { upsert: true });
      const agent = await this.facts.read(agentOrganisationId);
      if (agent && agent.organisationId !== agentOrganisationId) await this.move(event, organisationId, agentOrganisationId);
    }
  }

  private move(event: RecordedEvent, organisationId: string, agentOrganisationId: string): Promise<unknown> {
    const context: CommandContext = {
      actor: event.metadata.actor,
      now: new Date(event.metadata.occurredAt),
      correlationId: event.metadata.correlationId,
      commandId: derivedId('move-merged-agent', event.id, organisationId, agentOrganisationId),
    };
    return this.commandBus.execute(new MoveMergedAgent(organisationId, agentOrganisationId, context));
  }
}

const linkId = (organisationId: string, agentOrganisationId: string) => `${organisationId}:${agentOrganisationId}`;
