import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@kundportal/eventstore';
import { CHECKPOINTS, CheckpointDoc, Projection, ProjectionRunner, ProjectionStatus, PROJECTIONS, READ_STORE, ReadStore } from '@kundportal/readstore';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  eventStore: unknown;
  readStore: unknown;
  headPosition: string | null;
  projections: Array<Omit<ProjectionStatus, 'state'> & { state: ProjectionStatus['state'] | 'elsewhere'; lag: string | null }>;
}

/**
 * The report as anyone may see it: states, adapters and lags, without the details that tell about
 * the machine (file paths in DATA_DIR, error messages from the stores or a parked event).
 */
export function publicHealth(report: HealthReport): HealthReport {
  const store = (health: unknown) => {
    const { status, adapter } = health as { status: unknown; adapter: unknown };
    return { status, adapter };
  };
  return {
    ...report,
    eventStore: store(report.eventStore),
    readStore: store(report.readStore),
    projections: report.projections.map(({ error: _error, ...projection }) => projection),
  };
}

/** The state of both stores and of each projection here, with its lag behind the log. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly runner: ProjectionRunner,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
  ) {}

  async report(): Promise<HealthReport> {
    const [eventStore, readStore, { head, projections }] = await Promise.all([this.events.health(), this.reads.health(), this.progress()]);
    const storesUp = eventStore.status === 'up' && readStore.status === 'up';
    const status = !storesUp ? 'down' : projections.some((p) => p.state !== 'running' && p.state !== 'elsewhere') ? 'degraded' : 'ok';
    return { status, eventStore, readStore, headPosition: head?.toString() ?? null, projections };
  }

  /** Ready to take requests: both stores answer (a parked projection is not a reason to stop serving). */
  async ready(): Promise<boolean> {
    const [eventStore, readStore] = await Promise.all([this.events.health(), this.reads.health()]);
    return eventStore.status === 'up' && readStore.status === 'up';
  }

  /** Each projection with its lag behind the log, without pinging the stores (for metrics). */
  async progress(): Promise<{ head: bigint | null; projections: HealthReport['projections'] }> {
    const head = await this.events.headPosition().catch(() => null);
    const here = this.runner.runsAll ? this.runner.status() : await this.mergedWithStored(this.runner.status());
    return { head, projections: here.map((p) => ({ ...p, lag: head === null ? null : (head - BigInt(p.position)).toString() })) };
  }

  /**
   * Projections run by another process (the projector, or the holder of their lease): their
   * progress and faults as stored with the read models; those running here as they are here.
   */
  private async mergedWithStored(here: ProjectionStatus[]): Promise<HealthReport['projections']> {
    const local = new Map(here.filter((p) => p.state !== 'standby').map((p) => [p.name, p]));
    const docs = await this.reads
      .collection<CheckpointDoc>(CHECKPOINTS)
      .find({ _id: { $in: this.projections.map((p) => p.name) } })
      .catch(() => []);
    const byName = new Map(docs.map((d) => [d._id, d]));
    return this.projections.map((p) => {
      const mine = local.get(p.name);
      if (mine) return { ...mine, lag: null };
      const doc = byName.get(p.name);
      const parked = doc?.state === 'parked';
      return { name: p.name, state: parked ? 'parked' : 'elsewhere', position: doc?.position ?? '0', lag: null, ...(parked && doc?.error ? { error: doc.error } : {}) };
    });
  }
}
