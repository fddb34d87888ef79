/**
 * Errors a person can act on. Each carries a stable `code` so nodes can pick a status text,
 * and a message that never contains a secret (see redact.ts).
 */
export type ClawarrErrorCode =
  | 'rate_limited'
  | 'auth_required'
  | 'account_locked'
  | 'account_limit'
  | 'blocked'
  | 'server_error'
  | 'network'
  | 'bad_request'
  | 'not_found'
  | 'uncertain_write'
  | 'config';

export class ClawarrError extends Error {
  constructor(
    message: string,
    readonly code: ClawarrErrorCode,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClawarrError';
  }
}

/** The tracker rejected the tokens and a refresh did not help: only the user can fix this. */
export class AuthRequiredError extends ClawarrError {
  constructor(message = 're-authorization required: open the tracker config node and authorize again') {
    super(message, 'auth_required', 401);
  }
}

/**
 * A write whose outcome is unknown (timeout, reset, 5xx after sending). It must not be re-sent
 * before the tracker's history has been read back (the ledger decides).
 */
export class UncertainWriteError extends ClawarrError {
  constructor(message: string, status?: number) {
    super(message, 'uncertain_write', status);
  }
}
