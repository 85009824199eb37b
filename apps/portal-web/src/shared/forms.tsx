import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** The error of a failed command: the contract's message, in the person's language where we know the code. */
export function useErrorText() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      const key = `errors.${error.body.code}`;
      return i18n.exists(key) ? t(key) : error.body.message;
    }
    return t('errors.network');
  };
}

/** A form's state: submit runs the command; errors and the pending flag are kept for the page to show. */
export function useForm<T>(command: (values: FormData) => Promise<T>, onDone?: (result: T) => void) {
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const onSubmit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await command(new FormData(event.currentTarget));
      onDone?.(result);
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };
  const fieldError = (name: string) => (error instanceof ApiError ? error.fieldError(name) : undefined);
  return { onSubmit, error, pending, fieldError };
}

/** Shown at the top of a form after a failed submit; takes focus so a screen reader says it at once. */
export function ErrorSummary({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!error) return null;
  const details = error instanceof ApiError ? (error.body.details ?? []) : [];
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={(node) => node?.focus()}>
      <h2>{t('common.errorTitle')}</h2>
      <p>{text(error)}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li key={d.field}>
              <a href={`#field-${d.field}`}>{d.message}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  type?: string;
  required?: boolean;
  hint?: string;
  error?: string;
  autoComplete?: string;
  defaultValue?: string;
  min?: number;
  multiline?: boolean;
  inputMode?: 'numeric' | 'email' | 'text' | 'tel';
}

/** A labelled input with its hint and error tied to it for assistive technology. */
export function Field({ name, label, type = 'text', required, hint, error, autoComplete, defaultValue, min, multiline, inputMode }: FieldProps) {
  const { t } = useTranslation();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id: `field-${name}`,
    name,
    required,
    autoComplete,
    defaultValue,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
  };
  return (
    <div className={error ? 'field field-error' : 'field'}>
      <label htmlFor={`field-${name}`}>
        {label}
        {!required && <span className="optional"> {t('common.optional')}</span>}
      </label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="error-message" id={errorId}>
          {error}
        </p>
      )}
      {multiline ? <textarea rows={6} {...common} /> : <input type={type} min={min} inputMode={inputMode} {...common} />}
    </div>
  );
}

export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}

export function SubmitButton({ pending, children }: { pending: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="button" disabled={pending} aria-busy={pending}>
      {children}
    </button>
  );
}

export function text(values: FormData, name: string): string {
  return String(values.get(name) ?? '').trim();
}

export function optional(values: FormData, name: string): string | undefined {
  return text(values, name) || undefined;
}
