import { DynamicModule, Module } from '@nestjs/common';
import { AttachmentsModule } from '@kundportal/attachments';
import { AppConfig } from '@kundportal/kernel';
import { LiveNotices } from '@kundportal/notifications';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ReadSideModule } from '../../projector/src/read-side.module';
import { AccountsController } from './controllers/accounts.controller';
import { AuthController } from './controllers/auth.controller';
import { BackupsController } from './controllers/backups.controller';
import { AuditController } from './controllers/audit.controller';
import { CatalogueController } from './controllers/catalogue.controller';
import { OrdersController } from './controllers/orders.controller';
import { TicketAttachmentsController } from './controllers/ticket-attachments.controller';
import { TicketsController } from './controllers/tickets.controller';
import { CustomerApplicationsController } from './controllers/customer-applications.controller';
import { DevController } from './controllers/dev.controller';
import { HealthController } from './controllers/health.controller';
import { LiveNoticesController } from './controllers/live-notices.controller';
import { JwksController } from './controllers/jwks.controller';
import { MeController } from './controllers/me.controller';
import { MetricsController } from './controllers/metrics.controller';
import { OrganisationsController } from './controllers/organisations.controller';
import { ProjectionsController } from './controllers/projections.controller';
import { RegistrationsController } from './controllers/registrations.controller';
import { StaffController } from './controllers/staff.controller';
import { AuthGuard } from './http/auth';
import { CallerService } from './http/caller.service';
import { CallerLanguage } from './http/language';
import { QueryParametersGuard } from './http/query-parameters.guard';
import { ErrorFilter } from './http/error.filter';
import { IdempotencyGuard, IdempotencyKeys } from './http/idempotency';
import { MinPositionGuard } from './http/min-position.guard';
import { validationPipe } from './http/validation';

const CONTROLLERS = [
  AuthController,
  JwksController,
  MeController,
  LiveNoticesController,
  CustomerApplicationsController,
  AccountsController,
  OrganisationsController,
  RegistrationsController,
  CatalogueController,
  OrdersController,
  AuditController,
  TicketsController,
  TicketAttachmentsController,
  StaffController,
  HealthController,
  MetricsController,
  ProjectionsController,
  BackupsController,
  DevController,
];

@Module({
  controllers: CONTROLLERS,
  providers: [
    CallerService,
    CallerLanguage,
    IdempotencyKeys,
    LiveNotices,
    { provide: APP_FILTER, useClass: ErrorFilter },
    // Order matters: who is calling first, then whether the route knows the query's parameters, then wait for the read models (X-Min-Position), then a
    // repeated Idempotency-Key is answered from the idempotency store.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: QueryParametersGuard },
    { provide: APP_GUARD, useClass: MinPositionGuard },
    { provide: APP_GUARD, useClass: IdempotencyGuard },
    { provide: APP_PIPE, useFactory: validationPipe },
  ],
})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [ReadSideModule.forRoot(config), AttachmentsModule] };
  }
}
