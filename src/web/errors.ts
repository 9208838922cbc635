/** Turns any thrown error into the one error shape of the API: { error: { code, message, details } }. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isStorageFull, Problem, storageFullProblem } from '../shared/problem.js';

export function problemBody(problem: Problem): Record<string, unknown> {
  return { error: { code: problem.code, message: problem.message, details: problem.details }, ...problem.extra };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new Problem('not_found', `No route for ${req.method} ${req.path}.`));
};

/** What body-parser, raw-body and the router attach to their errors (http-errors). */
interface HttpError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

/** Errors the request itself caused, by body-parser's `type`: each says what to send instead. */
const requestFaults: Record<string, () => Problem> = {
  'entity.too.large': () => new Problem('payload_too_large', 'The request body is too large (at most 256 kB; a mission bundle at most 50 MB).'),
  'parameters.too.many': () => new Problem('payload_too_large', 'The form has too many fields (at most 1,000).'),
  'entity.parse.failed': () => new Problem('bad_request', 'The request body is not valid JSON (or not a valid form).', [{ path: '(body)', message: 'cannot be parsed' }]),
  'charset.unsupported': () => new Problem('unsupported_media_type', 'The body must be encoded as UTF-8: send Content-Type: application/json (charset utf-8).', [{ path: 'content-type', message: 'unsupported charset' }]),
  'encoding.unsupported': () => new Problem('unsupported_media_type', 'The Content-Encoding of the body is not supported: send it uncompressed, or gzip, deflate or br.', [{ path: 'content-encoding', message: 'unsupported' }]),
  'request.aborted': () => new Problem('bad_request', 'The request body ended before it was complete.'),
  'request.size.invalid': () => new Problem('bad_request', 'The request body is shorter or longer than its Content-Length says.'),
};

/** Any error → the Problem the client sees. Only true server faults become `internal`. */
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (isStorageFull(error)) return storageFullProblem();
  const http = (error ?? {}) as HttpError;
  const fault = http.type === undefined ? undefined : requestFaults[http.type];
  if (fault) return fault();
  if (typeof http.status === 'number' && http.status >= 400 && http.status < 500) {
    // e.g. the router's "Failed to decode param" (malformed %-encoding), a corrupt gzip body.
    if (http.status === 400 && /decode param/i.test(http.message ?? '')) {
      return new Problem('bad_request', 'The address contains malformed %-encoding: check the link.', [{ path: '(url)', message: 'malformed %-encoding' }]);
    }
    if (http.status === 415) return new Problem('unsupported_media_type', 'This Content-Type or Content-Encoding is not accepted here.');
    if (http.status === 413) return new Problem('payload_too_large', 'The request is too large.');
    return new Problem('bad_request', 'The request could not be read (malformed body or encoding).');
  }
  return new Problem('internal', 'Something went wrong on the server. The error was logged; please try again.');
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const problem = toProblem(error);
  if (problem.httpStatus >= 500) req.log.error({ err: error }, problem.code === 'internal' ? 'unhandled error' : problem.message);
  if (res.headersSent) return;
  res.status(problem.httpStatus).json(problemBody(problem));
};
