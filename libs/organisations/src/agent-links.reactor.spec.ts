import type { CommandBus } from '@nestjs/cqrs';
import { project, recorded, snapshot } from '@kundportal/readstore/testing';
import { AGENT_LINKS, AgentLinksReactor } from './agent-links.reactor';
import { MoveMergedAgent } from './commands';
import type { OrganisationFacts, OrganisationFactsReader } from './organisation.facts';

/** The reactor with the log's answer to "which record is this now?" and the commands it issues, recorded. */
function reactorWith(mergedInto: Record<string, string>) {
  const issued: Array<{ organisationId: string; agentOrganisationId: string; commandId: string }> = [];
  const commandBus = {
    execute: async (command: MoveMergedAgent) => {
      issued.push({ organisationId: command.organisationId, agentOrganisationId: command.agentOrganisationId, commandId: command.context.commandId });
      return { id: command.organisationId, position: '0' };
    },
  } as unknown as CommandBus;
  const facts = {
    read: async (id: string) => ({ organisationId: mergedInto[id] ?? id }) as OrganisationFacts,
  } as unknown as OrganisationFactsReader;
  return { reactor: new AgentLinksReactor(commandBus, facts), issued };
}

const linked = (organisationId: string, agentOrganisationId: string) => recorded('AgentLinked', { organisationId, agentOrganisationId });
const merged = (organisationId: string, into: string) => recorded('OrganisationMergedInto', { organisationId, into, at: '2026-03-01T10:00:00.000Z' });
const unlinked = (organisationId: string, agentOrganisationId: string, into: string) =>
  recorded('AgentUnlinked', { organisationId, agentOrganisationId, reason: 'agent-merged', mergedInto: into, at: '2026-03-01T10:00:01.000Z' });

describe('agent links reactor', () => {
  it('keeps its own index of who is whose agent, and moves nothing while no agent is merged', async () => {
    const { reactor, issued } = reactorWith({});
    const store = await project(reactor, [linked('c1', 'a1'), linked('c2', 'a1'), linked('c1', 'a2'), unlinked('c1', 'a2', 'a3')]);
    expect((await snapshot(reactor, store))[AGENT_LINKS]).toEqual([
      { _id: 'c1:a1', organisationId: 'c1', agentOrganisationId: 'a1' },
      { _id: 'c2:a1', organisationId: 'c2', agentOrganisationId: 'a1' },
    ]);
    expect(issued).toEqual([]);
  });

  it('on a merge, moves every organisation’s link to the merged record, each command with its own stable id', async () => {
    // The links were made before the merge, when the log knew no merge.
    const store = await project(reactorWith({}).reactor, [linked('c1', 'a1'), linked('c2', 'a1'), linked('c3', 'other')]);
    const { reactor, issued } = reactorWith({ a1: 'a-kept' });
    const mergeEvent = merged('a1', 'a-kept');
    await project(reactor, [mergeEvent], store);
    expect(issued.map(({ organisationId, agentOrganisationId }) => [organisationId, agentOrganisationId])).toEqual([
      ['c1', 'a1'],
      ['c2', 'a1'],
    ]);
    // Replayed after a crash: the same commands again (idempotent in the decider), with the same ids.
    const first = issued.splice(0);
    await project(reactor, [mergeEvent], store);
    expect(issued).toEqual(first);
    expect(new Set(first.map((c) => c.commandId)).size).toBe(2);
  });

  it('moves at once a link made to a record merged already (a link racing the merge), or taken in from a duplicate', async () => {
    const { reactor, issued } = reactorWith({ a1: 'a-kept' });
    await project(reactor, [
      linked('c1', 'a1'),
      linked('c1', 'a2'),
      recorded('DuplicateOrganisationAbsorbed', { organisationId: 'c2', duplicateOrganisationId: 'c2-dup', members: [], agentOrganisationIds: ['a1', 'a2', 'c2'], at: '2026-03-01T10:00:00.000Z' }),
    ]);
    expect(issued.map(({ organisationId, agentOrganisationId }) => [organisationId, agentOrganisationId])).toEqual([
      ['c1', 'a1'],
      ['c2', 'a1'],
    ]);
  });

  it('a merged record’s links, once moved (AgentUnlinked), are not moved again by a later merge', async () => {
    const { reactor, issued } = reactorWith({ a1: 'a-kept' });
    await project(reactor, [linked('c1', 'a1'), unlinked('c1', 'a1', 'a-kept'), linked('c1', 'a-kept'), merged('a1', 'a-kept')]);
    // The first AgentLinked met a record merged already; after the unlink the merge finds no link to it.
    expect(issued.map(({ organisationId, agentOrganisationId }) => [organisationId, agentOrganisationId])).toEqual([['c1', 'a1']]);
  });
});
