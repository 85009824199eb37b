export const serviceStream = (serviceId: string) => `service-${serviceId}`;
