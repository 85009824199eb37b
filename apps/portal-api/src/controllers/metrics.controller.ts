import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, METRICS, Metrics, NotFound } from '@kundportal/kernel';
import { Public } from '../http/auth';

/**
 * Prometheus metrics on the public port: only for trials and development. With METRICS_PORT they
 * are served on that port alone (see bootstrap), and in production without it not at all.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  get(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (this.config.metricsPort !== undefined || this.config.production) throw new NotFound('route');
    void reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return this.metrics.registry.metrics();
  }
}
