import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { Approval, CommandAnswer } from '../api/responses';
import { useMe } from '../identity/use-me';
import { useFormat } from '../shared/format';
import { ErrorSummary, Field, Fieldset, SubmitButton, text, useForm } from '../shared/forms';
import { Page, QueryState, Success } from '../shared/page';

const refreshAfterCommand = (client: ReturnType<typeof useQueryClient>) =>
  client.invalidateQueries({ predicate: (q) => ['orders', 'order', 'approvals', 'notifications'].includes(String(q.queryKey[0])) });

function useCatalogue() {
  return useQuery({ queryKey: ['catalogue'], queryFn: () => call(api.GET('/catalogue')) });
}

/** The services on offer; each offering opens its order form. */
export function CataloguePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const catalogue = useCatalogue();
  return (
    <Page title={t('catalogue.title')}>
      <QueryState query={catalogue} />
      {catalogue.data?.items.map((service) => (
        <section key={service.id} className="panel" aria-labelledby={`service-${service.id}`}>
          <h2 id={`service-${service.id}`}>{service.name}</h2>
          <ul className="offerings">
            {service.offerings.map((offering) => (
              <li key={offering.id}>
                <Link to={`/catalogue/${offering.id}/order`}>{offering.name}</Link>{' '}
                <span className="muted">{t('catalogue.startupFee', { fee: format.money(offering.startupFee.amount) })}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Page>
  );
}

/** An order field whose value is a list of care units, each named with its HSA-id. */
const CARE_UNIT_LIST = 'care-unit-list';

/** The filled-in rows of a care unit list; none at all leaves the field out. */
function careUnitsOf(values: FormData, name: string): { name: string; hsaId: string }[] | undefined {
  const rows: { name: string; hsaId: string }[] = [];
  for (let i = 0; values.has(`${name}.${i}.name`); i++) {
    const unit = { name: text(values, `${name}.${i}.name`), hsaId: text(values, `${name}.${i}.hsaId`) };
    if (unit.name || unit.hsaId) rows.push(unit);
  }
  return rows.length > 0 ? rows : undefined;
}

/** Rows of care units (name and HSA-id), added and removed one at a time. */
function CareUnitListField({ name, legend, required, fieldError }: { name: string; legend: string; required?: boolean; fieldError: (field: string) => string | undefined }) {
  const { t } = useTranslation();
  const [keys, setKeys] = useState<number[]>([0]);
  const [next, setNext] = useState(1);
  const listError = fieldError(name);
  return (
    <Fieldset legend={`${legend}${required ? '' : ` ${t('common.optional')}`}`}>
      <p className="hint">{t('order.careUnitsHint')}</p>
      {listError && !keys.some((_, i) => fieldError(`${name}.${i}`)) && <p className="error-message">{listError}</p>}
      {keys.map((key, i) => (
        <div key={key} className="care-unit-row" role="group" aria-label={t('order.careUnit', { number: i + 1 })}>
          <Field name={`${name}.${i}.name`} label={t('order.careUnitName', { number: i + 1 })} required error={fieldError(`${name}.${i}.name`)} />
          <Field name={`${name}.${i}.hsaId`} label={t('order.careUnitHsaId', { number: i + 1 })} hint={t('order.hsaIdHint')} required error={fieldError(`${name}.${i}.hsaId`)} />
          {keys.length > 1 && (
            <button type="button" className="button button-secondary" onClick={() => setKeys(keys.filter((k) => k !== key))}>
              {t('order.removeCareUnit', { number: i + 1 })}
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => {
          setKeys([...keys, next]);
          setNext(next + 1);
        }}
      >
        {t('order.addCareUnit')}
      </button>
    </Fieldset>
  );
}

/** The order form of an offering: the organisation, the offering's own fields, the terms, direct or through an agent. */
export function OrderFormPage() {
  const { t } = useTranslation();
  const { offeringId = '' } = useParams();
  const format = useFormat();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const catalogue = useCatalogue();
  const offering = catalogue.data?.items.flatMap((s) => s.offerings).find((o) => o.id === offeringId);
  const orderable = me.data?.organisations.filter((o) => o.canOrder) ?? [];
  const form = useForm(
    (values) => {
      const details: Record<string, unknown> = {};
      for (const field of offering?.fields ?? []) {
        if (field.type === CARE_UNIT_LIST) {
          details[field.name] = careUnitsOf(values, `details.${field.name}`);
          continue;
        }
        const raw = text(values, `details.${field.name}`);
        // An optional field left empty is not sent: the service checks what is given against the field's type.
        if (raw === '' && !field.required) continue;
        details[field.name] = field.type === 'integer' || field.type === 'number' ? (raw === '' ? undefined : Number(raw)) : raw;
      }
      const via = text(values, 'viaAgentOrganisationId');
      return call<CommandAnswer>(
        api.POST('/orders', {
          body: {
            organisationId: text(values, 'organisationId'),
            offeringId,
            details,
            acceptTerms: values.get('acceptTerms') === 'on',
            viaAgentOrganisationId: via || undefined,
          },
        }),
      );
    },
    async (answer) => {
      await refreshAfterCommand(client);
      void navigate(`/orders/${answer.id}`);
    },
  );
  return (
    <Page title={offering ? t('order.title', { offering: offering.name }) : t('order.titleGeneric')}>
      <QueryState query={catalogue} />
      {offering && orderable.length === 0 && me.data && <p className="notice">{t('order.cannotOrder')}</p>}
      {offering && orderable.length > 0 && (
        <form onSubmit={form.onSubmit} noValidate className="narrow">
          <ErrorSummary error={form.error} />
          <p className="lead">{t('catalogue.startupFee', { fee: format.money(offering.startupFee.amount) })}</p>
          <div className="field">
            <label htmlFor="field-organisationId">{t('order.organisation')}</label>
            <select id="field-organisationId" name="organisationId" defaultValue={orderable[0].id}>
              {orderable.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          {offering.fields.map((field) =>
            field.type === CARE_UNIT_LIST ? (
              <CareUnitListField
                key={field.name}
                name={`details.${field.name}`}
                legend={t(`orderFields.${field.name}`, { defaultValue: field.label })}
                required={field.required}
                fieldError={form.fieldError}
              />
            ) : (
            <Field
              key={field.name}
              name={`details.${field.name}`}
              label={t(`orderFields.${field.name}`, { defaultValue: field.label })}
              type={field.type === 'integer' || field.type === 'number' ? 'number' : 'text'}
              min={field.min}
              required={field.required}
              inputMode={field.type === 'integer' ? 'numeric' : undefined}
              error={form.fieldError(`details.${field.name}`) ?? form.fieldError('details')}
            />
            ),
          )}
          <Field name="viaAgentOrganisationId" label={t('order.viaAgent')} hint={t('order.viaAgentHint')} error={form.fieldError('viaAgentOrganisationId')} />
          <Fieldset legend={t('order.terms')}>
            <p>{t('order.termsText')}</p>
            <div className="checkbox">
              <input type="checkbox" id="field-acceptTerms" name="acceptTerms" aria-invalid={form.fieldError('acceptTerms') ? true : undefined} />
              <label htmlFor="field-acceptTerms">{t('order.acceptTerms')}</label>
            </div>
            {form.fieldError('acceptTerms') && <p className="error-message">{form.fieldError('acceptTerms')}</p>}
          </Fieldset>
          <SubmitButton pending={form.pending}>{t('order.submit')}</SubmitButton>
        </form>
      )}
    </Page>
  );
}

/** The orders of the person's organisations. */
export function OrdersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const orders = useQuery({ queryKey: ['orders'], queryFn: () => call(api.GET('/orders')) });
  return (
    <Page title={t('orders.title')}>
      <p>
        <Link to="/catalogue">{t('orders.newOrder')}</Link>
      </p>
      <QueryState query={orders} />
      {orders.data && orders.data.items.length === 0 && <p>{t('orders.none')}</p>}
      {orders.data && orders.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('orders.offering')}</th>
              <th scope="col">{t('orders.customer')}</th>
              <th scope="col">{t('orders.status')}</th>
              <th scope="col">{t('orders.submitted')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.items.map((order) => (
              <tr key={order.id}>
                <td>
                  <Link to={`/orders/${order.id}`}>{order.offeringName}</Link>
                </td>
                <td>{order.organisationName}</td>
                <td>
                  <span className={`tag tag-${order.status}`}>{t(`orderStatus.${order.status}`, { defaultValue: order.status })}</span>
                </td>
                <td>{format.dateTime(order.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

/** One order with its step trail (the link in the order e-mails); the approvals' actions when it is the person's turn. */
export function OrderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const format = useFormat();
  const order = useQuery({ queryKey: ['order', id], queryFn: () => call(api.GET('/orders/{id}', { params: { path: { id } } })) });
  const approvals = useApprovals();
  const waiting = approvals.data?.items.find((a) => a.orderId === id);
  const data = order.data;
  return (
    <Page title={data ? data.offeringName : t('orders.order')}>
      <p>
        <Link to="/orders">{t('orders.backToList')}</Link>
      </p>
      <QueryState query={order} />
      {data && (
        <>
          <dl className="facts">
            <dt>{t('orders.customer')}</dt>
            <dd>{data.organisationName}</dd>
            <dt>{t('orders.status')}</dt>
            <dd>
              <span className={`tag tag-${data.status}`}>{t(`orderStatus.${data.status}`, { defaultValue: data.status })}</span>
            </dd>
            <dt>{t('orders.submittedBy')}</dt>
            <dd>
              {data.submittedBy.name}, {format.dateTime(data.submittedAt)}
            </dd>
            {Object.entries(data.details).map(([name, value]) => (
              <div key={name} className="fact-pair">
                <dt>{t(`orderFields.${name}`, { defaultValue: name })}</dt>
                <dd>{String(value)}</dd>
              </div>
            ))}
          </dl>
          <section aria-labelledby="steps-heading">
            <h2 id="steps-heading">{t('orders.steps')}</h2>
            <ol className="steps">
              <li>
                <strong>{t('orders.submittedStep')}</strong> {t('orders.byAt', { name: data.submittedBy.name, at: format.dateTime(data.submittedAt) })}
              </li>
              {data.steps.map((step, index) => (
                <li key={index}>
                  <strong>{t(`steps.${step.step}`, { defaultValue: step.step })}</strong>: {t(`outcomes.${step.outcome}`, { defaultValue: step.outcome })}{' '}
                  {t('orders.byAt', { name: step.by.name, at: format.dateTime(step.at) })}
                  {step.method && ` (${t(`methods.${step.method}`, { defaultValue: step.method })})`}
                  {step.reason && <span className="reason"> – {step.reason}</span>}
                </li>
              ))}
            </ol>
          </section>
          {waiting && <ApprovalActions approval={waiting} />}
        </>
      )}
    </Page>
  );
}

function useApprovals() {
  return useQuery({ queryKey: ['approvals'], queryFn: () => call(api.GET('/approvals')) });
}

/** Approve (agent), attest with BankID or an SMS code, or reject with a reason. */
function ApprovalActions({ approval, onDone }: { approval: Approval; onDone?: (outcome: string) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [doneHere, setDone] = useState<string | null>(null);
  const done = onDone ? null : doneHere;
  const path = { params: { path: { id: approval.orderId } } };
  const act = useForm(
    (values) => {
      const action = text(values, 'action');
      if (action === 'approve') return call<CommandAnswer>(api.POST('/orders/{id}/approve', path)).then(() => 'approved');
      return call<CommandAnswer>(api.POST('/orders/{id}/attest', { ...path, body: { method: text(values, 'method') as 'bankid' | 'sms-otp' } })).then(() => 'attested');
    },
    async (outcome) => {
      (onDone ?? setDone)(outcome);
      await refreshAfterCommand(client);
    },
  );
  const reject = useForm(
    (values) => call<CommandAnswer>(api.POST('/orders/{id}/reject', { ...path, body: { reason: text(values, 'reason') } })).then(() => 'rejected'),
    async (outcome) => {
      (onDone ?? setDone)(outcome);
      await refreshAfterCommand(client);
    },
  );
  if (done)
    return (
      <Success>
        <p>{t(`approvals.done.${done}`)}</p>
      </Success>
    );
  const attest = approval.step !== 'agent-approval';
  return (
    <div className="approval-actions">
      <form onSubmit={act.onSubmit} noValidate>
        <ErrorSummary error={act.error} />
        <input type="hidden" name="action" value={attest ? 'attest' : 'approve'} />
        {attest && (
          <Fieldset legend={t('approvals.attestWith')}>
            {(['bankid', 'sms-otp'] as const).map((method, index) => (
              <div className="radio" key={method}>
                <input type="radio" id={`attest-${approval.orderId}-${method}`} name="method" value={method} defaultChecked={index === 0} />
                <label htmlFor={`attest-${approval.orderId}-${method}`}>{t(`methods.${method}`)}</label>
              </div>
            ))}
          </Fieldset>
        )}
        <div className="actions">
          <SubmitButton pending={act.pending}>{attest ? t('approvals.attest') : t('approvals.approve')}</SubmitButton>
          <button type="button" className="button button-secondary" aria-expanded={rejecting} onClick={() => setRejecting(!rejecting)}>
            {t('approvals.reject')}
          </button>
        </div>
      </form>
      {rejecting && (
        <form onSubmit={reject.onSubmit} noValidate>
          <ErrorSummary error={reject.error} />
          <Field name="reason" label={t('approvals.reason')} required multiline error={reject.fieldError('reason')} />
          <SubmitButton pending={reject.pending}>{t('approvals.confirmReject')}</SubmitButton>
        </form>
      )}
    </div>
  );
}

/** Orders waiting for an action the person may take, each naming the customer. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const approvals = useApprovals();
  // The list drops an order once it is handled, so what was done is said above the list.
  const [done, setDone] = useState<{ outcome: string; what: string } | null>(null);
  return (
    <Page title={t('approvals.title')} lead={t('approvals.lead')}>
      {done && (
        <Success>
          <p>
            {t(`approvals.done.${done.outcome}`)} ({done.what})
          </p>
        </Success>
      )}
      <QueryState query={approvals} />
      {approvals.data && approvals.data.items.length === 0 && <p>{t('approvals.none')}</p>}
      {approvals.data?.items.map((approval) => (
        <article key={approval.orderId} className="panel" aria-labelledby={`approval-${approval.orderId}`}>
          <h2 id={`approval-${approval.orderId}`}>
            <Link to={`/orders/${approval.orderId}`}>{`${approval.customerOrganisationName}: ${approval.offeringName}`}</Link>
          </h2>
          <p>
            {t(`steps.${approval.step}`)} · {t('approvals.submittedBy', { name: approval.submittedBy.name, at: format.dateTime(approval.submittedAt) })}
          </p>
          <ApprovalActions approval={approval} onDone={(outcome) => setDone({ outcome, what: `${approval.customerOrganisationName}: ${approval.offeringName}` })} />
        </article>
      ))}
    </Page>
  );
}
