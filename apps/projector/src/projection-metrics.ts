import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { METRICS, Metrics } from '@kundportal/kernel';
import { HealthService } from './health.service';

/** Projection lag and parked projections, computed when Prometheus scrapes. */
@Injectable()
export class ProjectionMetrics implements OnModuleInit {
  constructor(@Inject(METRICS) private readonly metrics: Metrics, private readonly health: HealthService) {}

  onModuleInit(): void {
    this.metrics.gauge('kundportal_projection_lag_events', 'Events in the log a projection has not processed yet', ['projection'], async (gauge) => {
      for (const p of (await this.health.progress()).projections) {
        if (p.lag !== null) gauge.set({ projection: p.name }, Number(p.lag));
      }
    });
    this.metrics.gauge('kundportal_projection_parked', 'Projections parked by a failing event (1) or running (0)', ['projection'], async (gauge) => {
      for (const p of (await this.health.progress()).projections) gauge.set({ projection: p.name }, p.state === 'parked' ? 1 : 0);
    });
  }
}
