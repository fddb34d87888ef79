/**
 * Secret redaction for every error, log line and status. Known secret values are registered by the
 * config nodes; key=value patterns (apikey, tokens) are masked even when the value was never registered.
 */
const MASK = '***';
const secrets = new Set<string>();

const PATTERNS: RegExp[] = [
  /([?&](?:apikey|api_key|access_token|refresh_token|client_secret|token|code)=)[^&#\s"']+/gi,
  /("(?:apikey|api_key|access_token|refresh_token|client_secret|device_code|code|token|password)"\s*:\s*")[^"]*/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
];

/** Registers a value that must never be shown (tokens, client secret, API keys). */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 6) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  for (const pattern of PATTERNS) out = out.replace(pattern, `$1${MASK}`);
  return out;
}

/** Redacts a URL for display: keeps scheme, host and path, masks secret query values. */
export function redactUrl(url: string | undefined): string {
  return url ? redact(url) : '';
}
