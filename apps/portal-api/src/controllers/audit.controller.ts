import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationFailed } from '@kundportal/kernel';
import { OrderHistory } from '@kundportal/ordering';
import { OrderStateQuery } from '../dto/audit.dto';
import { StaffOrAuditor } from '../http/auth';
import { IdPipe } from '../http/id.pipe';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

@ApiTags('audit')
@ApiBearerAuth()
@StaffOrAuditor()
@Controller('audit/orders')
export class AuditController {
  constructor(private readonly history: OrderHistory) {}

  @Get(':id/history')
  @ApiOperation({ summary: 'Every event of the order with time, actor and the order’s state after it (staff, auditors)' })
  orderHistory(@Param('id', IdPipe) id: string) {
    return this.history.history(id);
  }

  @Get(':id/state')
  @ApiOperation({ summary: 'The order as it stood at a moment, and who held the roles then (staff, auditors)' })
  orderStateAt(@Param('id', IdPipe) id: string, @Query() { at }: OrderStateQuery) {
    if (!ISO_TIME.test(at) || Number.isNaN(Date.parse(at))) {
      throw ValidationFailed.field('at', 'must be an ISO-8601 time, e.g. 2026-05-01T12:00:00Z');
    }
    return this.history.stateAt(id, new Date(at));
  }
}
