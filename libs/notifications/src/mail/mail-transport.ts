/** One e-mail, already rendered, on its way out of the notifications reactor. */
export interface OutgoingMail {
  /** Recipient address (one address per outbox entry). */
  to: string;
  subject: string;
  /** Plain-text body, already rendered from the template. */
  text: string;
  /** Name of the template it was rendered from; sent as the `X-Kundportal-Template` header. */
  template: string;
  /** The data the template was rendered with (kept for transports that render or log themselves). */
  data: Record<string, unknown>;
}

/**
 * The port the e-mail reactor sends through. `send` resolves once the mail has been
 * accepted by the next hop and rejects otherwise, so the caller can keep the outbox
 * entry and retry. `close` lets in-flight sends finish and releases connections.
 */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export const MAIL_TRANSPORT = Symbol('MailTransport');
