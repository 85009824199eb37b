import { useTranslation } from 'react-i18next';

/** Dates and times as a person in Sweden reads them, whatever the browser's own time zone. */
const ZONE = 'Europe/Stockholm';

export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-GB' : 'sv-SE';
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: ZONE });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'SEK', maximumFractionDigits: 0 });
  const bytes = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return {
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '–'),
    money: (amount: number) => money.format(amount),
    size: (n: number) => (n < 1024 ? `${n} B` : n < 1_048_576 ? `${bytes.format(n / 1024)} kB` : `${bytes.format(n / 1_048_576)} MB`),
  };
}
