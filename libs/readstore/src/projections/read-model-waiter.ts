import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, ReadStore } from '../read-store.port';
import { Projection, PROJECTIONS } from './projection';
import { CHECKPOINTS, ProjectionRunner } from './projection-runner';

const REMOTE_POLL_MS = [5, 10, 20, 50, 100];

/**
 * Read-your-writes for `X-Min-Position`. When every projection runs in this process the wait is
 * a promise the runner resolves as its checkpoints pass the position (no polling). When another
 * process runs some or all of them (a projector, or leases shared among several), this process
 * learns their progress from the stored checkpoints, read with a short backoff.
 */
@Injectable()
export class ReadModelWaiter {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
  ) {}

  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.runner.runsAll) return this.runner.waitFor(position, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      if ((await this.storedLowest()) >= position) return true;
      const pause = REMOTE_POLL_MS[Math.min(i, REMOTE_POLL_MS.length - 1)];
      if (Date.now() + pause > deadline) return false;
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  /** The position every read model has processed: from the runner here, else from the stored checkpoints. */
  reached(): Promise<bigint> {
    return this.runner.runsAll ? Promise.resolve(this.runner.lowestPosition()) : this.storedLowest();
  }

  private async storedLowest(): Promise<bigint> {
    const names = this.projections.filter((p) => !p.reactor).map((p) => p.name);
    const docs = await this.store.collection(CHECKPOINTS).find({ _id: { $in: names } });
    if (docs.length < names.length) return 0n;
    return docs.reduce((low, d) => (BigInt(d.position as string) < low ? BigInt(d.position as string) : low), BigInt(docs[0].position as string));
  }
}
