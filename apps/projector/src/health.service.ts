import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@kundportal/eventstore';
import { ProjectionRunner, READ_STORE, ReadStore } from '@kundportal/readstore';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  eventStore: unknown;
  readStore: unknown;
  headPosition: string | null;
  projections: Array<ReturnType<ProjectionRunner['status']>[number] & { lag: string | null }>;
}

/** The state of both stores and of each projection here, with its lag behind the log. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly runner: ProjectionRunner,
  ) {}

  async report(): Promise<HealthReport> {
    const [eventStore, readStore, head] = await Promise.all([
      this.events.health(),
      this.reads.health(),
      this.events.headPosition().catch(() => null),
    ]);
    const projections = this.runner.status().map((p) => ({ ...p, lag: head === null ? null : (head - BigInt(p.position)).toString() }));
    const storesUp = eventStore.status === 'up' && readStore.status === 'up';
    const status = !storesUp ? 'down' : projections.some((p) => p.state !== 'running') ? 'degraded' : 'ok';
    return { status, eventStore, readStore, headPosition: head?.toString() ?? null, projections };
  }
}
