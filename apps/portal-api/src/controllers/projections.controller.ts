import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, NotFound } from '@kundportal/kernel';
import { ProjectionRunner } from '@kundportal/readstore';
import { HealthService } from '../../../projector/src/health.service';
import { StaffOnly } from '../http/auth';

/** Staff look after the read side: see each projection, and retry one parked by a failing event once it is fixed. */
@ApiTags('operations')
@ApiBearerAuth()
@StaffOnly()
@Controller('admin/projections')
export class ProjectionsController {
  constructor(private readonly health: HealthService, private readonly runner: ProjectionRunner) {}

  @Get()
  @ApiOperation({ summary: 'Each projection: state, position, lag, and the event it is parked at (staff)' })
  async list() {
    return { items: (await this.health.report()).projections };
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Retry a parked projection from its checkpoint (staff): 200 when it runs in this process; 202 when another process runs it, which retries it within a few seconds',
  })
  async resume(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const projection = (await this.health.report()).projections.find((p) => p.name === name);
    if (!projection) throw new NotFound('projection');
    if (this.runner.resume(name)) return { name, state: 'running' };
    if (projection.state === 'parked' && (await this.runner.requestResume(name))) {
      reply.status(202);
      return { name, state: 'resume-requested' };
    }
    throw DomainError.conflict('PROJECTION_NOT_PARKED', `The projection is ${projection.state}, not parked.`).withParams({ state: projection.state });
  }
}
