import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, NotFound } from '@kundportal/kernel';
import { NotificationQueries } from '@kundportal/notifications';
import { OutboxQuery } from '../dto/dev.dto';
import { listAnswer, pageRequest } from '../dto/paging.dto';

@ApiTags('development')
@ApiBearerAuth()
@Controller('dev')
export class DevController {
  constructor(private readonly notifications: NotificationQueries, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('outbox')
  @ApiOperation({ summary: 'The e-mails the service would have sent, newest last (AUTH_MODE=dev only)' })
  async outbox(@Query() query: OutboxQuery) {
    if (this.config.auth.mode !== 'dev') throw new NotFound('route');
    const page = pageRequest(query);
    return listAnswer(await this.notifications.outbox(query.to, page), page, (m) => ({
      to: m.to,
      subject: m.subject,
      template: m.template,
      data: m.data,
      text: m.text,
      sentAt: m.sentAt,
      queuedAt: m.createdAt,
    }));
  }
}
