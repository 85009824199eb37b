import { ApiHarness, ApiResponse } from './api-harness';

export type TicketType = 'question' | 'fault-report' | 'improvement-suggestion';

export interface CreatedTicket {
  id: string;
  number: string;
  position: string;
}

export interface UploadFile {
  name: string;
  content: string | Uint8Array;
  type?: string;
}

export interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
  body: any;
}

/** One part of a hand-built multipart body (to send file names exactly as written, quotes and all). */
export interface RawPart {
  field: string;
  /** Written into the part header as is, inside double quotes. */
  rawFilename?: string;
  type?: string;
  content: string | Uint8Array;
}

let serial = 0;

/** Tickets over HTTP: creation, replies, reads with their read markers, and multipart uploads with fetch. */
export class TicketFixtures {
  constructor(private readonly api: ApiHarness) {}

  body(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const n = ++serial;
    return { type: 'question' as TicketType, subject: `Signing fails ${n}`, description: `Since this morning signing fails (${n}).`, ...extra };
  }

  /** A ticket created by `token` (201 or it throws). */
  async create(token: string, extra: Record<string, unknown> = {}): Promise<CreatedTicket & { subject: string }> {
    const body = this.body(extra);
    const response = await this.api.post('/tickets', body, token);
    expectStatus(response, 201, 'ticket');
    return { id: response.body.id, number: response.body.number, position: response.body.position, subject: body.subject as string };
  }

  /** A message (201 or it throws). */
  async post(token: string, ticketId: string, body: string, internal?: boolean): Promise<{ id: string; position: string }> {
    const response = await this.api.post(`/tickets/${ticketId}/messages`, internal === undefined ? { body } : { body, internal }, token);
    expectStatus(response, 201, 'message');
    return response.body;
  }

  /** `GET /tickets/:id`; a read marker's `X-Position` becomes the next request's `X-Min-Position`. */
  async open(token: string, ticketId: string): Promise<ApiResponse> {
    const response = await this.api.get(`/tickets/${ticketId}`, token);
    const position = response.headers.get('x-position');
    if (position) this.api.lastPosition = position;
    return response;
  }

  async list(token: string, query = ''): Promise<ApiResponse> {
    return this.api.get(`/tickets${query}`, token);
  }

  /** The caller's list item for a ticket (first page of 100), or undefined. */
  async item(token: string, ticketId: string): Promise<Record<string, any> | undefined> {
    const response = await this.list(token, '?pageSize=100');
    expectStatus(response, 200, 'list');
    return (response.body.items as Array<Record<string, any>>).find((t) => t.id === ticketId);
  }

  /** Multipart upload with the built-in FormData and Blob. */
  async upload(token: string | undefined, ticketId: string, file: UploadFile, field = 'file'): Promise<ApiResponse> {
    const form = new FormData();
    const bytes = typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content;
    form.append(field, new Blob([bytes], { type: file.type ?? '' }), file.name);
    return this.send(token, ticketId, form, {});
  }

  /** A multipart body built by hand, so file names reach the server exactly as written. */
  async uploadRaw(token: string | undefined, ticketId: string, parts: RawPart[]): Promise<ApiResponse> {
    const { body, contentType } = multipartBody(parts);
    return this.send(token, ticketId, body, { 'content-type': contentType });
  }

  /** A form whose body ends before its closing boundary, as when a client gives up mid-upload. */
  async uploadCutOff(token: string, ticketId: string, parts: RawPart[]): Promise<ApiResponse> {
    const { body, contentType } = multipartBody(parts);
    const boundary = contentType.slice(contentType.indexOf('boundary=') + 'boundary='.length);
    return this.send(token, ticketId, body.subarray(0, body.lastIndexOf(`\r\n--${boundary}--`)), { 'content-type': contentType });
  }

  /** A non-multipart body to the upload route. */
  async uploadJson(token: string, ticketId: string, body: unknown): Promise<ApiResponse> {
    return this.send(token, ticketId, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  async download(token: string | undefined, ticketId: string, attachmentId: string): Promise<Download> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (this.api.lastPosition) headers['x-min-position'] = this.api.lastPosition;
    const response = await fetch(`${this.api.baseUrl}/tickets/${ticketId}/attachments/${attachmentId}`, { headers });
    const bytes = Buffer.from(await response.arrayBuffer());
    const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
    return { status: response.status, headers: response.headers, bytes, body: isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined };
  }

  private async send(token: string | undefined, ticketId: string, body: FormData | Buffer | string, extraHeaders: Record<string, string>): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (token) headers.authorization = `Bearer ${token}`;
    if (this.api.lastPosition) headers['x-min-position'] = this.api.lastPosition;
    const response = await fetch(`${this.api.baseUrl}/tickets/${ticketId}/attachments`, { method: 'POST', headers, body });
    const text = await response.text();
    const parsed = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (parsed && typeof parsed === 'object' && typeof parsed.position === 'string') this.api.lastPosition = parsed.position;
    return { status: response.status, body: parsed, headers: response.headers };
  }
}

/** Builds a multipart/form-data body from `parts`, written byte for byte as given. */
export function multipartBody(parts: RawPart[]): { body: Buffer; contentType: string } {
  const boundary = `----kp-test-${Date.now()}-${++serial}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.field}"` + (part.rawFilename !== undefined ? `; filename="${part.rawFilename}"` : '');
    const header = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n` + (part.type ? `Content-Type: ${part.type}\r\n` : '') + '\r\n';
    chunks.push(Buffer.from(header, 'utf8'), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function expectStatus(response: { status: number; body: unknown }, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
}
