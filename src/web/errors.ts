/** Turns any thrown error into the one error shape of the API: { error: { code, message, details } }. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { Problem } from '../shared/problem.js';

export function problemBody(problem: Problem): Record<string, unknown> {
  return { error: { code: problem.code, message: problem.message, details: problem.details }, ...problem.extra };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new Problem('not_found', `No route for ${req.method} ${req.path}.`));
};

interface BodyParserError {
  type?: string;
  status?: number;
}

function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  const parserError = error as BodyParserError;
  if (parserError?.type === 'entity.too.large') return new Problem('payload_too_large', 'The request body is too large.');
  if (parserError?.type === 'entity.parse.failed') return new Problem('bad_request', 'The request body is not valid JSON.');
  return new Problem('internal', 'Something went wrong on the server. The error was logged; please try again.');
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const problem = toProblem(error);
  if (problem.code === 'internal') req.log?.error({ err: error }, 'unhandled error');
  if (res.headersSent) return;
  res.status(problem.httpStatus).json(problemBody(problem));
};
