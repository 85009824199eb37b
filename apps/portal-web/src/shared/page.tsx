import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useErrorText } from './forms';

/** The first page of a visit keeps the browser's own focus start (the skip link comes first). */
let navigated = false;

/**
 * One page: its title in the tab, and, after a client-side navigation, its heading focused, so
 * that a screen reader announces the new page.
 */
export function Page({ title, children, lead }: { title: string; children: ReactNode; lead?: ReactNode }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    if (navigated) heading.current?.focus({ preventScroll: true });
    navigated = true;
  }, []);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {lead && <p className="lead">{lead}</p>}
      {children}
    </>
  );
}

/** Loading and error states of a query, said in words. */
export function QueryState({ query }: { query: { isPending: boolean; error: unknown } }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (query.error) {
    if (query.error instanceof ApiError && query.error.status === 404) return <p className="notice">{t('common.notFound')}</p>;
    return (
      <p className="notice notice-error" role="alert">
        {text(query.error)}
      </p>
    );
  }
  if (query.isPending)
    return (
      <p className="loading" role="status">
        {t('common.loading')}
      </p>
    );
  return null;
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-success" role="status">
      {children}
    </div>
  );
}
