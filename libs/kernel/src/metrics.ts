import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const METRICS = Symbol('Metrics');

/**
 * The service's Prometheus metrics, one registry per application (never the library's global one,
 * so two apps in one process, as in tests, do not share counters). Exposed at `GET /metrics`.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'kundportal_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'kundportal_http_request_duration_seconds',
    help: 'HTTP request duration by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'kundportal_command_duration_seconds',
    help: 'Command handling (read, decide, append) by aggregate and outcome',
    labelNames: ['aggregate', 'outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly revisionConflicts = new Counter({
    name: 'kundportal_command_revision_conflicts_total',
    help: 'Appends that lost an optimistic-concurrency race and were decided again',
    labelNames: ['aggregate'],
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'kundportal_event_store_append_duration_seconds',
    help: 'Event store append latency (durable commit included)',
    buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'kundportal_' });
  }

  /** Gauges computed when scraped (projection lag, parked projections). */
  gauge(name: string, help: string, labelNames: string[], collect: (gauge: Gauge) => Promise<void> | void): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });
  }
}
