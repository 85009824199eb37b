export * from './commands';
export * from './order.queries';
export { OrderHistory } from './order.history';
export { OrderingModule } from './ordering.module';
export { ordersProjection, OrderDoc, ApprovalDoc } from './order.projections';
export type {
  OrderEvent,
  OrderSubmitted,
  OrderApprovedByAgent,
  OrderAttested,
  OrderRejected,
  OrderFulfilled,
  OrderWithdrawn,
  OrderCancelled,
  AttestationMethod,
} from './order.events';
export { ORDER_EVENT_TYPES } from './order.events';
export { ORDER_STATUSES } from './order.decider';
export type { OrderStatus } from './order.decider';
