import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CatalogueModule, catalogueProjection } from '@kundportal/catalogue';
import { OrderingModule, ordersProjection } from '@kundportal/ordering';
import { TicketingModule, ticketsProjection } from '@kundportal/ticketing';
import { EventStoreModule } from '@kundportal/eventstore';
import { accountDirectoryProjection, accountsProjection, IdentityModule, MembershipReactor, preferencesProjection, registrationsProjection } from '@kundportal/identity';
import { APP_CONFIG, AppConfig, KernelModule } from '@kundportal/kernel';
import { MailReactor, NotificationsModule, OutboxDispatcher } from '@kundportal/notifications';
import { AgentLinksReactor, ORGANISATION_PROJECTIONS, organisationDirectoryProjection, OrganisationsModule } from '@kundportal/organisations';
import { Projection, ProjectionRunner, PROJECTIONS, ReadModelWaiter, ReadStoreModule } from '@kundportal/readstore';
import { HealthService } from './health.service';
import { ProjectionMetrics } from './projection-metrics';

/** Starts the projections and the mail dispatcher where this process is meant to run them. */
@Injectable()
export class ReadSideHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReadSideHost.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    private readonly runner: ProjectionRunner,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runProjections) return;
    await this.runner.start(this.projections);
    this.dispatcher.start();
    this.logger.log(`Running ${this.projections.length} projections and reactors`);
  }
}

/**
 * Stores, contexts and every projection and reactor: the whole read side. The projector runs it
 * alone; the API includes it and runs it in-process unless RUN_PROJECTIONS=false.
 */
@Module({
  imports: [
    EventStoreModule,
    ReadStoreModule,
    OrganisationsModule,
    IdentityModule,
    NotificationsModule,
    CatalogueModule,
    OrderingModule,
    TicketingModule,
  ],
  providers: [
    {
      provide: PROJECTIONS,
      inject: [MailReactor, MembershipReactor, AgentLinksReactor],
      useFactory: (mail: MailReactor, membership: MembershipReactor, agentLinks: AgentLinksReactor): Projection[] => [
        ...ORGANISATION_PROJECTIONS,
        accountsProjection,
        registrationsProjection,
        preferencesProjection,
        catalogueProjection,
        ordersProjection,
        ticketsProjection,
        organisationDirectoryProjection,
        accountDirectoryProjection,
        mail,
        membership,
        agentLinks,
      ],
    },
    ReadModelWaiter,
    ReadSideHost,
    HealthService,
    ProjectionMetrics,
  ],
  exports: [
    PROJECTIONS,
    ReadModelWaiter,
    HealthService,
    OrganisationsModule,
    IdentityModule,
    NotificationsModule,
    CatalogueModule,
    OrderingModule,
    TicketingModule,
  ],
})
export class ReadSideModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ReadSideModule, imports: [KernelModule.forRoot(config), CqrsModule.forRoot()] };
  }
}
