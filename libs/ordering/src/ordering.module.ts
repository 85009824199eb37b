import { Module } from '@nestjs/common';
import { CatalogueModule } from '@kundportal/catalogue';
import { OrganisationsModule } from '@kundportal/organisations';
import { ORDER_COMMAND_HANDLERS } from './order.handlers';
import { OrderQueries } from './order.queries';
import { OrderHistory } from './order.history';

@Module({
  imports: [OrganisationsModule, CatalogueModule],
  providers: [...ORDER_COMMAND_HANDLERS, OrderQueries, OrderHistory],
  exports: [OrderQueries, OrderHistory],
})
export class OrderingModule {}
