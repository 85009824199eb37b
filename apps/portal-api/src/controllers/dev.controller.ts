import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig, NotFound } from '@kundportal/kernel';
import { NotificationQueries } from '@kundportal/notifications';

@ApiTags('development')
@ApiBearerAuth()
@Controller('dev')
export class DevController {
  constructor(private readonly notifications: NotificationQueries, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('outbox')
  @ApiQuery({ name: 'to', required: false })
  @ApiOperation({ summary: 'The e-mails the service would have sent, newest last (AUTH_MODE=dev only)' })
  async outbox(@Query('to') to?: string) {
    if (this.config.auth.mode !== 'dev') throw new NotFound('The route');
    const items = await this.notifications.outbox(typeof to === 'string' ? to : undefined);
    return {
      items: items.map((m) => ({ to: m.to, subject: m.subject, template: m.template, data: m.data, text: m.text, sentAt: m.sentAt, queuedAt: m.createdAt })),
    };
  }
}
