import { Controller, Get, Module, Res } from '@nestjs/common';
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
}

@Module({ imports: [ReadSideModule], controllers: [ProjectorHealthController] })
export class ProjectorModule {}
