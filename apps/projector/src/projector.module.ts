import { Controller, DynamicModule, Get, Module, Res } from '@nestjs/common';
import { AppConfig } from '@kundportal/kernel';
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

@Module({ controllers: [ProjectorHealthController] })
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ProjectorModule, imports: [ReadSideModule.forRoot(config)] };
  }
}
