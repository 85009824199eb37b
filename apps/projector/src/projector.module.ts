import { Controller, DynamicModule, Get, Header, Inject, Module, Res } from '@nestjs/common';
import { AppConfig, METRICS, Metrics } from '@kundportal/kernel';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service';
import { ReadSideModule } from './read-side.module';

@Controller('health')
class ProjectorHealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  async get(@Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.health.report();
    void reply.status(report.status === 'down' ? 503 : 200);
    return report;
  }

  /** Liveness: the process answers (a store outage must not restart it). */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: both stores answer. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const ready = await this.health.ready();
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'down' };
  }
}

@Controller('metrics')
class ProjectorMetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  get(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

@Module({ controllers: [ProjectorHealthController, ProjectorMetricsController] })
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ProjectorModule, imports: [ReadSideModule.forRoot(config)] };
  }
}
