import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call, rememberPosition, requestHeaders } from '../api/client';
import type { Attachment, CommandAnswer } from '../api/responses';
import { useFormat } from '../shared/format';
import { ErrorSummary, Field, Fieldset, SubmitButton, text, useErrorText, useForm } from '../shared/forms';
import { Page, QueryState, Success } from '../shared/page';
import { useMe } from '../identity/use-me';

const TYPES = ['question', 'fault-report', 'improvement-suggestion'] as const;
type TicketType = (typeof TYPES)[number];
const STATUSES = ['open', 'pending', 'solved', 'closed'] as const;
type TicketStatus = (typeof STATUSES)[number];
const PAGE_SIZE = 20;

function TypeChoice({ error }: { error?: string }) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={t('tickets.type')}>
      {error && <p className="error-message">{error}</p>}
      {TYPES.map((type, index) => (
        <div className="radio" key={type}>
          <input type="radio" id={`type-${type}`} name="type" value={type} defaultChecked={index === 0} />
          <label htmlFor={`type-${type}`}>{t(`ticketTypes.${type}`)}</label>
        </div>
      ))}
    </Fieldset>
  );
}

/** The open support form: anyone, no account; the answer comes by e-mail. */
export function PublicTicketPage() {
  const { t } = useTranslation();
  const [number, setNumber] = useState<string | null>(null);
  const form = useForm(
    (values) =>
      call<CommandAnswer & { number: string }>(
        api.POST('/public/tickets', {
          body: {
            name: text(values, 'name'),
            email: text(values, 'email'),
            type: text(values, 'type') as TicketType,
            subject: text(values, 'subject'),
            description: text(values, 'description'),
          },
        }),
      ),
    (answer) => setNumber(answer.number),
  );
  if (number)
    return (
      <Page title={t('tickets.publicDoneTitle')}>
        <Success>
          <p>{t('tickets.publicDoneText', { number })}</p>
        </Success>
        <Link to="/">{t('common.toStart')}</Link>
      </Page>
    );
  return (
    <Page title={t('tickets.publicTitle')} lead={t('tickets.publicLead')}>
      <form onSubmit={form.onSubmit} noValidate className="narrow">
        <ErrorSummary error={form.error} />
        <Field name="name" label={t('fields.name')} required autoComplete="name" error={form.fieldError('name')} />
        <Field name="email" type="email" label={t('fields.email')} required autoComplete="email" error={form.fieldError('email')} />
        <TypeChoice error={form.fieldError('type')} />
        <Field name="subject" label={t('tickets.subject')} required error={form.fieldError('subject')} />
        <Field name="description" label={t('tickets.description')} required multiline error={form.fieldError('description')} />
        <SubmitButton pending={form.pending}>{t('tickets.send')}</SubmitButton>
      </form>
    </Page>
  );
}

/** The person's tickets: newest activity first, unread ones marked, a page at a time, by status. */
export function TicketsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as TicketStatus) : undefined;
  const tickets = useQuery({
    queryKey: ['tickets', { page, status }],
    queryFn: () => call(api.GET('/tickets', { params: { query: { page, pageSize: PAGE_SIZE, status } } })),
    placeholderData: keepPreviousData,
  });
  const total = tickets.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const go = (next: { page?: number; status?: string }) => {
    const search = new URLSearchParams();
    const s = next.status === undefined ? status : next.status;
    if (s) search.set('status', s);
    if ((next.page ?? 1) > 1) search.set('page', String(next.page));
    setParams(search);
  };
  return (
    <Page title={t('tickets.title')}>
      <p>
        <Link className="button" to="/tickets/new">
          {t('tickets.new')}
        </Link>
      </p>
      <div className="filters">
        <label htmlFor="status-filter">{t('tickets.filterStatus')}</label>
        <select id="status-filter" value={status ?? ''} onChange={(event) => go({ status: event.target.value, page: 1 })}>
          <option value="">{t('tickets.allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`ticketStatus.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <QueryState query={tickets} />
      {tickets.data && tickets.data.items.length === 0 && <p>{t('tickets.none')}</p>}
      {tickets.data && tickets.data.items.length > 0 && (
        <table className="ticket-list">
          <caption className="visually-hidden">{t('tickets.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tickets.number')}</th>
              <th scope="col">{t('tickets.subject')}</th>
              <th scope="col">{t('tickets.type')}</th>
              <th scope="col">{t('tickets.status')}</th>
              <th scope="col">{t('tickets.lastActivity')}</th>
            </tr>
          </thead>
          <tbody>
            {tickets.data.items.map((ticket) => (
              <tr key={ticket.id} className={ticket.unread ? 'unread' : undefined}>
                <td>{ticket.number}</td>
                <td>
                  <Link to={`/tickets/${ticket.id}`}>{ticket.subject}</Link>
                  {ticket.unread && <span className="tag tag-unread">{t('tickets.unread')}</span>}
                </td>
                <td>{t(`ticketTypes.${ticket.type}`, { defaultValue: ticket.type })}</td>
                <td>
                  <span className={`tag tag-${ticket.status}`}>{t(`ticketStatus.${ticket.status}`, { defaultValue: ticket.status })}</span>
                </td>
                <td>{format.dateTime(ticket.lastActivityAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav aria-label={t('common.pagination')} className="pagination">
          <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => go({ page: page - 1 })}>
            {t('common.previous')}
          </button>
          <span>{t('common.pageOf', { page, pages })}</span>
          <button type="button" className="button button-secondary" disabled={page >= pages} onClick={() => go({ page: page + 1 })}>
            {t('common.next')}
          </button>
        </nav>
      )}
    </Page>
  );
}

export function NewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const organisations = me.data?.organisations ?? [];
  const form = useForm(
    (values) =>
      call<CommandAnswer & { number: string }>(
        api.POST('/tickets', {
          body: {
            type: text(values, 'type') as TicketType,
            subject: text(values, 'subject'),
            description: text(values, 'description'),
            organisationId: text(values, 'organisationId') || undefined,
          },
        }),
      ),
    async (answer) => {
      await client.invalidateQueries({ queryKey: ['tickets'] });
      void navigate(`/tickets/${answer.id}`);
    },
  );
  return (
    <Page title={t('tickets.new')}>
      <form onSubmit={form.onSubmit} noValidate className="narrow">
        <ErrorSummary error={form.error} />
        <TypeChoice error={form.fieldError('type')} />
        {organisations.length > 0 && (
          <div className="field">
            <label htmlFor="field-organisationId">{t('tickets.organisation')}</label>
            <select id="field-organisationId" name="organisationId" defaultValue={organisations[0].id}>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <Field name="subject" label={t('tickets.subject')} required error={form.fieldError('subject')} />
        <Field name="description" label={t('tickets.description')} required multiline error={form.fieldError('description')} />
        <SubmitButton pending={form.pending}>{t('tickets.send')}</SubmitButton>
      </form>
    </Page>
  );
}

/** The requester adds a collaborator, chosen among the members of their organisations. */
function AddCollaborator({ ticket, onAdded }: { ticket: { id: string; requester: { accountId: string | null }; collaborators: Array<{ accountId: string | null }> }; onAdded: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const me = useMe();
  const organisations = me.data?.organisations ?? [];
  const members = useQueries({
    queries: organisations.map((o) => ({
      queryKey: ['members', o.id],
      queryFn: () => call(api.GET('/organisations/{orgId}/members', { params: { path: { orgId: o.id } } })),
    })),
  });
  const taken = new Set([ticket.requester.accountId, ...ticket.collaborators.map((c) => c.accountId)]);
  const people = new Map<string, string>();
  for (const query of members) for (const m of query.data?.items ?? []) if (!taken.has(m.accountId)) people.set(m.accountId, m.name);
  const form = useForm(
    (values) => call<CommandAnswer>(api.POST('/tickets/{id}/collaborators', { params: { path: { id: ticket.id } }, body: { accountId: text(values, 'accountId') } })),
    onAdded,
  );
  if (me.data?.accountId !== ticket.requester.accountId || people.size === 0) return null;
  return (
    <form onSubmit={form.onSubmit} noValidate className="inline-form">
      <ErrorSummary error={form.error} />
      <div className="field">
        <label htmlFor="field-accountId">{t('tickets.addCollaborator')}</label>
        <p className="hint" id="collaborator-hint">
          {t('tickets.addCollaboratorHint')}
        </p>
        <select id="field-accountId" name="accountId" aria-describedby="collaborator-hint">
          {[...people].map(([accountId, name]) => (
            <option key={accountId} value={accountId}>
              {name}
            </option>
          ))}
        </select>{' '}
        <SubmitButton pending={form.pending}>{t('tickets.add')}</SubmitButton>
      </div>
    </form>
  );
}

/** Sends a file as multipart with upload progress (fetch cannot report it), through the client's headers. */
function upload(ticketId: string, file: File, onProgress: (fraction: number) => void): Promise<Attachment & { position: string }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/tickets/${encodeURIComponent(ticketId)}/attachments`);
    for (const [name, value] of Object.entries(requestHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => {
      const body = request.responseText ? JSON.parse(request.responseText) : {};
      if (request.status >= 200 && request.status < 300) {
        rememberPosition(body);
        resolve(body);
      } else reject(Object.assign(new Error(body.message ?? request.statusText), { body }));
    };
    request.onerror = () => reject(new Error('network'));
    const data = new FormData();
    data.append('file', file);
    request.send(data);
  });
}

/** Downloads an attachment with the session's token and hands it to the browser as a file. */
async function download(ticketId: string, attachment: Attachment): Promise<void> {
  const response = await fetch(`/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(attachment.id)}`, { headers: requestHeaders() });
  if (!response.ok) throw new Error(response.statusText);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function TicketPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const format = useFormat();
  const client = useQueryClient();
  const errorText = useErrorText();
  const replyForm = useRef<HTMLFormElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const ticket = useQuery({ queryKey: ['ticket', id], queryFn: () => call(api.GET('/tickets/{id}', { params: { path: { id } } })) });
  const refresh = () => client.invalidateQueries({ predicate: (q) => ['ticket', 'tickets', 'notifications'].includes(String(q.queryKey[0])) });
  // Reading the ticket marks it read: the list's marker and the notice badge are read again.
  const readAt = ticket.dataUpdatedAt;
  useEffect(() => {
    if (readAt) void client.invalidateQueries({ predicate: (q) => ['tickets', 'notifications'].includes(String(q.queryKey[0])) });
  }, [readAt, client]);
  const reply = useForm(
    (values) => call<CommandAnswer>(api.POST('/tickets/{id}/messages', { params: { path: { id } }, body: { body: text(values, 'body') } })),
    async () => {
      replyForm.current?.reset();
      await refresh();
    },
  );
  const close = useMutation({
    mutationFn: () => call<CommandAnswer>(api.POST('/tickets/{id}/close', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const onFile = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setUploadError(null);
    setProgress(0);
    try {
      await upload(id, file, setProgress);
      await refresh();
    } catch (caught) {
      setUploadError((caught as { body?: { message?: string } }).body?.message ?? errorText(caught));
    } finally {
      setProgress(null);
      event.target.value = '';
    }
  };
  const data = ticket.data;
  const closed = data?.status === 'closed';
  return (
    <Page title={data ? `${data.number}: ${data.subject}` : t('tickets.ticket')}>
      <p>
        <Link to="/tickets">{t('tickets.backToList')}</Link>
      </p>
      <QueryState query={ticket} />
      {data && (
        <>
          <dl className="facts">
            <dt>{t('tickets.status')}</dt>
            <dd>
              <span className={`tag tag-${data.status}`}>{t(`ticketStatus.${data.status}`, { defaultValue: data.status })}</span>
            </dd>
            <dt>{t('tickets.type')}</dt>
            <dd>{t(`ticketTypes.${data.type}`, { defaultValue: data.type })}</dd>
            <dt>{t('tickets.requester')}</dt>
            <dd>{data.requester.name}</dd>
            {data.collaborators.length > 0 && (
              <>
                <dt>{t('tickets.collaborators')}</dt>
                <dd>{data.collaborators.map((c) => c.name).join(', ')}</dd>
              </>
            )}
            <dt>{t('tickets.created')}</dt>
            <dd data-testid="ticket-created">{format.dateTime(data.createdAt)}</dd>
          </dl>
          {!closed && <AddCollaborator ticket={data} onAdded={refresh} />}
          <section aria-labelledby="messages-heading">
            <h2 id="messages-heading">{t('tickets.messages')}</h2>
            <ol className="messages">
              <li className="message">
                <p className="message-meta">
                  <strong>{data.requester.name}</strong> · {format.dateTime(data.createdAt)}
                </p>
                <p className="message-body">{data.description}</p>
              </li>
              {data.messages.map((message) => (
                <li key={message.id} className={message.author.staff ? 'message message-staff' : 'message'}>
                  <p className="message-meta">
                    <strong>{message.author.name}</strong>
                    {message.author.staff && <span className="tag">{t('tickets.support')}</span>} · {format.dateTime(message.at)}
                  </p>
                  <p className="message-body">{message.body}</p>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="attachments-heading">
            <h2 id="attachments-heading">{t('tickets.attachments')}</h2>
            {data.attachments.length === 0 ? (
              <p>{t('tickets.noAttachments')}</p>
            ) : (
              <ul className="attachments">
                {data.attachments.map((attachment) => (
                  <li key={attachment.id}>
                    <button type="button" className="link-button" onClick={() => void download(id, attachment)}>
                      {attachment.name}
                    </button>{' '}
                    <span className="muted">({format.size(attachment.size)})</span>
                  </li>
                ))}
              </ul>
            )}
            {!closed && (
              <div className="field">
                <label htmlFor="attachment-file">{t('tickets.attach')}</label>
                <input id="attachment-file" type="file" onChange={(event) => void onFile(event)} disabled={progress !== null} />
                {progress !== null && (
                  <progress max={1} value={progress} aria-label={t('tickets.uploading')}>
                    {Math.round(progress * 100)}%
                  </progress>
                )}
                {uploadError && (
                  <p className="error-message" role="alert">
                    {uploadError}
                  </p>
                )}
              </div>
            )}
          </section>
          {!closed && (
            <section aria-labelledby="reply-heading">
              <h2 id="reply-heading">{t('tickets.reply')}</h2>
              <form onSubmit={reply.onSubmit} ref={replyForm} noValidate>
                <ErrorSummary error={reply.error} />
                <Field name="body" label={t('tickets.message')} required multiline error={reply.fieldError('body')} />
                <div className="actions">
                  <SubmitButton pending={reply.pending}>{t('tickets.sendReply')}</SubmitButton>
                  <button type="button" className="button button-secondary" disabled={close.isPending} onClick={() => close.mutate()}>
                    {t('tickets.close')}
                  </button>
                </div>
              </form>
              <ErrorSummary error={close.error} />
            </section>
          )}
        </>
      )}
    </Page>
  );
}
