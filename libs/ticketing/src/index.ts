export * from './commands';
export * from './ticket.queries';
export { TicketTimeline } from './ticket.timeline';
export { TicketingModule } from './ticketing.module';
export { ticketsProjection, TicketDoc, TicketMessageDoc } from './ticket.projections';
export { maySee, isParticipant } from './ticket.decider';
export type { TicketCreated, TicketMessagePosted, TicketEvent, TicketType, TicketStatus, TicketPriority } from './ticket.events';
export { TICKET_EVENT_TYPES, TICKET_TYPES, PRIORITIES, SETTABLE_STATUSES } from './ticket.events';
