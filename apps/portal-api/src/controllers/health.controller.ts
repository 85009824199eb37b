import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Principal } from '@kundportal/identity';
import { HealthService, publicHealth } from '../../../projector/src/health.service';
import { CurrentPrincipal, Public } from '../http/auth';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'State of the event store, the read store and each projection; 503 when a store is down. Staff see the details (store locations, errors)',
  })
  async get(@CurrentPrincipal() principal: Principal | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.health.report();
    void reply.status(report.status === 'down' ? 503 : 200);
    return principal?.staff ? report : publicHealth(report);
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: 200 while the process answers (a store outage does not make it restart)' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: 200 when the event store and the read store answer, else 503 (taken out of the load balancer)' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const ready = await this.health.ready();
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'down' };
  }
}
