import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.gen';
import type { ApiErrorBody } from './responses';
import { session } from '../identity/session';

/**
 * The one client of the API, typed from the service's OpenAPI document. It signs requests with
 * the session's token, asks for JSON (the same paths answer the portal's page to a browser
 * navigation), and carries read-your-writes: after a command, the answer's `position` goes as
 * `X-Min-Position` on every later request, so a person always sees what they just did.
 */
let lastPosition: string | null = null;
let language = 'sv';

export function setRequestLanguage(next: string): void {
  language = next;
}

/** The position of the latest command this page sent (for clients outside openapi-fetch: uploads, downloads). */
export function requestHeaders(): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (lastPosition) headers['x-min-position'] = lastPosition;
  return headers;
}

export function rememberPosition(body: unknown): void {
  if (body && typeof body === 'object' && typeof (body as { position?: unknown }).position === 'string') {
    lastPosition = (body as { position: string }).position;
  }
}

const readYourWrites: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(requestHeaders())) request.headers.set(name, value);
    return request;
  },
  async onResponse({ request, response }) {
    if (request.method !== 'GET' && response.ok && response.headers.get('content-type')?.includes('json')) {
      rememberPosition(await response.clone().json());
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(readYourWrites);

/** An API error in the contract's shape. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody) {
    super(body.message);
  }
  fieldError(field: string): string | undefined {
    return this.body.details?.find((d) => d.field === field || d.field.startsWith(`${field}.`))?.message;
  }
}

/**
 * Unwraps an openapi-fetch answer: its data, or an ApiError. Where the operation declares its
 * answer in the OpenAPI document the type is inferred from it; commands, not declared yet, name it
 * (`call<CommandAnswer>(…)`).
 */
export async function call<T = never, D = unknown>(
  pending: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<[T] extends [never] ? NonNullable<D> : T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const body = (error && typeof error === 'object' ? error : { statusCode: response.status, code: 'HTTP_' + response.status, message: response.statusText }) as ApiErrorBody;
    if (response.status === 401) session.expired();
    throw new ApiError(response.status, body);
  }
  return data as [T] extends [never] ? NonNullable<D> : T;
}
