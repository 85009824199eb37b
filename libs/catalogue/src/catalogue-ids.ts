/**
 * Catalogue ids are readable slugs (`webcert`, `webcert-fristaende`): lower-case letters and
 * digits in words joined by single hyphens. An offering id starts with its service's id and a
 * hyphen, so the service (and its stream) can be found from the offering id alone.
 */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const SERVICE_ID_MAX_LENGTH = 40;
export const OFFERING_ID_MAX_LENGTH = 80;
export const CATALOGUE_ID_PATTERN = SLUG;

export function isServiceId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SERVICE_ID_MAX_LENGTH && SLUG.test(value);
}

export function isOfferingId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= OFFERING_ID_MAX_LENGTH && SLUG.test(value) && candidateServiceIds(value).length > 0;
}

/** Whether `offeringId` is a well-formed id of an offering of `serviceId` (`<serviceId>-<more>`). */
export function isOfferingIdOf(serviceId: string, offeringId: string): boolean {
  return isServiceId(serviceId) && isOfferingId(offeringId) && offeringId.startsWith(`${serviceId}-`);
}

/**
 * The service ids an offering id may belong to, longest first: `a-b-c` → `a-b`, `a`. Service ids
 * may contain hyphens, so each whole-word prefix is a candidate.
 */
export function candidateServiceIds(offeringId: string): string[] {
  if (!SLUG.test(offeringId)) return [];
  const words = offeringId.split('-');
  const candidates: string[] = [];
  for (let n = words.length - 1; n >= 1; n--) {
    const id = words.slice(0, n).join('-');
    if (id.length <= SERVICE_ID_MAX_LENGTH) candidates.push(id);
  }
  return candidates;
}
