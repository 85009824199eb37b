export const applicationStream = (id: string) => `application-${id}`;
export const organisationStream = (id: string) => `organisation-${id}`;
