import { Inject, Injectable } from '@nestjs/common';
import { Page, PageRequest } from '@kundportal/kernel';
import { findPage, READ_STORE, ReadStore } from '@kundportal/readstore';
import { CREDENTIALS, CredentialDoc, REGISTRATIONS, RegistrationDoc } from './registration.projections';

@Injectable()
export class RegistrationQueries {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  list(where: { status?: RegistrationDoc['status'] }, page: PageRequest): Promise<Page<RegistrationDoc>> {
    const filter = where.status ? { status: where.status } : {};
    return findPage(this.store.collection<RegistrationDoc>(REGISTRATIONS), filter, { sort: { submittedAt: 1, _id: 1 } }, page);
  }

  pendingCount(organisationId: string): Promise<number> {
    return this.store.collection<RegistrationDoc>(REGISTRATIONS).count({ organisationId, status: 'pending' });
  }

  credential(email: string): Promise<CredentialDoc | null> {
    return this.store.collection<CredentialDoc>(CREDENTIALS).findOne({ _id: email });
  }
}
