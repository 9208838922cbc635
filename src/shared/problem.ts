/**
 * The one error type of ENA. Every layer throws a Problem with a stable code; the HTTP layer and the
 * CLI turn it into a response or a message. `details` name the exact place (file:line, field path).
 */
export interface ProblemDetail {
  path: string;
  message: string;
}

export type ProblemCode =
  | 'validation_failed'
  | 'invalid_questionnaire'
  | 'invalid_config'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'csrf_failed'
  | 'bad_request'
  | 'insufficient_storage'
  | 'unavailable'
  | 'internal';

const httpStatusByCode: Record<ProblemCode, number> = {
  validation_failed: 400,
  invalid_questionnaire: 400,
  invalid_config: 500,
  bad_request: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  insufficient_storage: 507,
};

export class Problem extends Error {
  readonly code: ProblemCode;
  readonly details: ProblemDetail[];
  /** Extra data for the client, e.g. the current answer on a 409. */
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ProblemCode, message: string, details: ProblemDetail[] = [], extra?: Record<string, unknown>) {
    super(message);
    this.name = 'Problem';
    this.code = code;
    this.details = details;
    this.extra = extra;
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code];
  }

  static notFound(what: string): Problem {
    return new Problem('not_found', `${what} was not found.`);
  }

  static forbidden(reason = 'Your role or country assignment does not allow this.'): Problem {
    return new Problem('forbidden', reason);
  }

  static validation(message: string, details: ProblemDetail[]): Problem {
    return new Problem('validation_failed', message, details);
  }
}

/** Error codes of a full disk or quota: Node's fs (errno), SQLite (better-sqlite3's SqliteError.code), PostgreSQL (disk_full). */
const STORAGE_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);

/** True when `error` says the disk (or the user's quota) is full, wherever it came from. */
export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (STORAGE_FULL_CODES.has(code) || code.startsWith('SQLITE_FULL'));
}

/**
 * The one message for a full disk: nothing was saved (the transaction rolled back, partial files are
 * removed), so the person can free space and simply try again.
 */
export function storageFullProblem(what = 'The change'): Problem {
  return new Problem('insufficient_storage',
    `${what} was not saved: the server's disk is full. Nothing was changed. Ask the administrator to free disk space (old reports, backups, logs), then try again; what you typed is still in the form.`);
}
