import { staffTicketFilter, ticketNumberIn } from './ticket.queries';

describe('staff ticket filters', () => {
  it('a ticket number is T-<digits>, given with or without the T- in any case', () => {
    expect(['T-1001', 't-1001', 't1001', ' 1001 '].map(ticketNumberIn)).toEqual(['T-1001', 'T-1001', 'T-1001', 'T-1001']);
    expect(['T-', 'T-10a', 'webcert', 'TT-1001'].map(ticketNumberIn)).toEqual([null, null, null, null]);
  });

  it('each filter given applies; none given is every ticket', () => {
    expect(staffTicketFilter({})).toEqual({});
    expect(staffTicketFilter({ status: 'open', needsReply: false, priority: 'urgent', type: 'question', organisationId: 'org-1' })).toEqual({
      status: 'open',
      needsReply: false,
      priority: 'urgent',
      type: 'question',
      organisationId: 'org-1',
    });
  });

  it('q: every word of the subject, or the number (a number is also a word), or nothing', () => {
    expect(staffTicketFilter({ q: 'Webcert inloggning' })).toEqual({ $and: [{ words: 'webcert' }, { words: 'inloggning' }] });
    expect(staffTicketFilter({ q: '1001', needsReply: true })).toEqual({ needsReply: true, $or: [{ number: 'T-1001' }, { words: '1001' }] });
    expect(staffTicketFilter({ q: 'T-1001' })).toEqual({ $or: [{ number: 'T-1001' }, { $and: [{ words: 't' }, { words: '1001' }] }] });
    expect(staffTicketFilter({ q: '?!' })).toBeNull();
  });
});
