/** Valid Swedish test identities for the benchmark's own people: the same generator the tests use. */
export { testOrganisationNumber as organisationNumber, testPersonalNumber as personalNumber } from '../../test/support/swedish-ids';
