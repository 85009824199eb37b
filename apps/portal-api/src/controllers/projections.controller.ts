import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'Retry a parked projection from its checkpoint, in the process that runs it (staff)' })
  resume(@Param('name') name: string) {
    const status = this.runner.status().find((p) => p.name === name);
    if (!status) throw new NotFound('The projection (in this process)');
    if (!this.runner.resume(name)) throw DomainError.conflict('PROJECTION_NOT_PARKED', `The projection is ${status.state}, not parked.`);
    return { name, state: 'running' };
  }
}
