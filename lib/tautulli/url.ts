import { redactUrl } from '../core/redact';

/**
 * The base URL requests go to: scheme added when missing, and anything a user may have pasted
 * after the HTTP root (`/api/v2`, a query with the apikey, a fragment) dropped.
 */
export function normalizeTautulliUrl(url: string): string {
  let text = url.trim();
  if (!text) return text;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  text = text.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return text.replace(/\/api(?:\/v2)?$/i, '');
}

/** The URL as messages show it: no user:password, no secrets. */
export function displayUrl(url: string): string {
  return redactUrl(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1'));
}
