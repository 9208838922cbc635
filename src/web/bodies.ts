/**
 * Request bodies: what ENA reads and the budget each request gets. JSON and HTML forms up to 256 kB,
 * at most 1,000 form fields, nesting at most MAX_BODY_DEPTH deep; anything else is refused with 415 before
 * a handler runs, so every handler sees `req.body` as a parsed object (`{}` when nothing was sent).
 * Routes that read the raw bytes themselves (a bundle upload) are listed in `rawBodyRoutes`; page forms
 * that upload a file (multipart/form-data, up to UPLOAD_BODY_LIMIT) are listed in `uploadRoutes` and reach
 * their handler as `{ ...fields, files }`, so that the CSRF check still finds the `_csrf` field.
 */
import express, { type RequestHandler } from 'express';
import { Problem } from '../shared/problem.js';
import { parseMultipart } from './multipart.js';

export const JSON_BODY_LIMIT = '256kb';
export const FORM_FIELDS_LIMIT = 1_000;
/** Same budget as a bundle sent to the API (BUNDLE_BODY_LIMIT). */
export const UPLOAD_BODY_LIMIT = '50mb';
/** The deepest legitimate body (an alignment-table answer) is 5 levels; 32 leaves room and stops stack-eating bodies. */
export const MAX_BODY_DEPTH = 32;

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Depth of a parsed JSON value, without recursion (a hostile body must not exhaust the stack). */
export function depthOf(value: unknown, limit = MAX_BODY_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const hasBody = (req: Parameters<RequestHandler>[0]): boolean =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

export function bodyParsers(options: { rawBodyRoutes: readonly string[]; uploadRoutes?: readonly string[] }): RequestHandler[] {
  const uploads = new Set(options.uploadRoutes ?? []);
  const raw = new Set([...options.rawBodyRoutes, ...uploads]);
  const readUpload = express.raw({ type: 'multipart/form-data', limit: UPLOAD_BODY_LIMIT });
  const parseUpload: RequestHandler = (req, res, next) => {
    if (!uploads.has(`${req.method} ${req.path}`)) return next();
    readUpload(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (!Buffer.isBuffer(req.body)) {
        return next(new Problem('unsupported_media_type', 'This form uploads a file: send it as multipart/form-data.', [{ path: 'content-type', message: 'must be multipart/form-data' }]));
      }
      try {
        const { fields, files } = parseMultipart(req.body, req.get('content-type') ?? '');
        req.body = { ...fields, files };
        next();
      } catch (problem) {
        next(problem);
      }
    });
  };
  const checkBody: RequestHandler = (req, _res, next) => {
    if (raw.has(`${req.method} ${req.path}`)) return next();
    if (req.body === undefined) {
      if (MUTATING.has(req.method) && hasBody(req)) {
        return next(new Problem('unsupported_media_type', `Content-Type ${JSON.stringify(req.get('content-type') ?? '(none)')} is not accepted: send application/json (or an HTML form, application/x-www-form-urlencoded).`,
          [{ path: 'content-type', message: 'must be application/json or application/x-www-form-urlencoded' }]));
      }
      req.body = {};
    } else if (depthOf(req.body) > MAX_BODY_DEPTH) {
      return next(new Problem('bad_request', `The request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels).`, [{ path: '(body)', message: 'too deep' }]));
    }
    next();
  };
  const parseUnlessRaw = (parser: RequestHandler): RequestHandler => (req, res, next) => (raw.has(`${req.method} ${req.path}`) ? next() : parser(req, res, next));
  return [
    parseUpload,
    parseUnlessRaw(express.json({ limit: JSON_BODY_LIMIT })),
    parseUnlessRaw(express.urlencoded({ extended: false, limit: JSON_BODY_LIMIT, parameterLimit: FORM_FIELDS_LIMIT })),
    checkBody,
  ];
}
