import { EsdbEventStore } from './esdb-event-store';

describe('EsdbEventStore.connect with a connection string the client cannot read', () => {
  it.each(['esdb://es1:2113?tls=maybe', 'esdb://es1:2113?nodePreference=nearest'])('%p: names the variable and what is wrong', (value) => {
    expect(() => EsdbEventStore.connect(value)).toThrow(/^EVENTSTORE_CONNECTION_STRING is not valid: .+/);
  });
});
