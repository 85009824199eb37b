import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, ReadStore } from '@kundportal/readstore';
import { CREDENTIALS, CredentialDoc, REGISTRATIONS, RegistrationDoc } from './registration.projections';

@Injectable()
export class RegistrationQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  list(status?: string): Promise<RegistrationDoc[]> {
    return this.store.collection<RegistrationDoc>(REGISTRATIONS).find(status ? { status } : {}, { sort: { submittedAt: 1, _id: 1 } });
  }

  pendingCount(organisationId: string): Promise<number> {
    return this.store.collection<RegistrationDoc>(REGISTRATIONS).count({ organisationId, status: 'pending' });
  }

  credential(email: string): Promise<CredentialDoc | null> {
    return this.store.collection<CredentialDoc>(CREDENTIALS).findOne({ _id: email });
  }
}
