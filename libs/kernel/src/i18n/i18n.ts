import i18next, { Resource, TOptions } from 'i18next';
import { en } from './en';
import { DEFAULT_LANGUAGE, Language, LANGUAGES } from './languages';
import { sv } from './sv';

export type TranslationParams = Record<string, string | number | boolean | undefined>;

/**
 * The service's one i18next instance, loaded synchronously from the resources in this folder.
 * Plain text out (mails and JSON), so nothing is HTML-escaped. A key missing in Swedish falls
 * back to English, then to the text the caller gives; `i18n.spec.ts` keeps both from happening.
 */
const i18n = i18next.createInstance();
void i18n.init({
  resources: { sv, en } as unknown as Resource,
  lng: DEFAULT_LANGUAGE,
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  ns: Object.keys(sv),
  defaultNS: 'errors',
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

/** `ns:key` (e.g. `mail:ticket-reply.subject`) in the language, with its `{{params}}`; `context` picks `key_context` when there is one. */
export function translate(language: Language, key: string, params: TranslationParams & { context?: string; defaultValue?: string } = {}): string {
  return i18n.t(key, { ...params, lng: language } as TOptions) as string;
}

/**
 * A message our own checks wrote in English (an error's `details`), in the language: looked up
 * by its text, each number standing as `{{n}}`, `{{n2}}`…; the English text when there is no
 * translation.
 */
export function translateMessage(language: Language, message: string): string {
  if (language === 'en') return message;
  const { key, numbers } = messageKey(message);
  const found = i18n.t(key, { ...numbers, ns: 'validationMessages', lng: language, fallbackLng: false, keySeparator: false, nsSeparator: false, defaultValue: '' } as TOptions) as string;
  return found || message;
}

/** The key a message of our own is found by in `validationMessages`, and the numbers it takes out of it. */
export function messageKey(message: string): { key: string; numbers: Record<string, string> } {
  const numbers: Record<string, string> = {};
  let count = 0;
  const key = message.replace(/\d+/g, (digits) => {
    const name = count++ === 0 ? 'n' : `n${count}`;
    numbers[name] = digits;
    return `{{${name}}}`;
  });
  return { key, numbers };
}
