import { Module } from '@nestjs/common';
import { CatalogueModule } from '@kundportal/catalogue';
import { IdentityModule } from '@kundportal/identity';
import { OrganisationsModule } from '@kundportal/organisations';
import { TICKET_COMMAND_HANDLERS, TicketOpening, TicketPeople } from './ticket.handlers';
import { TicketNumbers } from './ticket-numbers';
import { TicketQueries } from './ticket.queries';
import { TicketTimeline } from './ticket.timeline';

@Module({
  imports: [IdentityModule, OrganisationsModule, CatalogueModule],
  providers: [...TICKET_COMMAND_HANDLERS, TicketPeople, TicketOpening, TicketNumbers, TicketQueries, TicketTimeline],
  exports: [TicketQueries, TicketTimeline],
})
export class TicketingModule {}
