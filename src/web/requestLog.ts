/**
 * The request log: one line per request when its response has been sent (or the client went away):
 * method, URL, status, response time in ms and who asked — never bodies, cookies or headers.
 * Handlers log through `req.log`, a child logger that carries the request's method and URL, made only
 * when a handler asks for it.
 * Why not pino-http: for this one line it made three child loggers per request and ran its serializer
 * wrappers, ~8 % of the server's main thread under the autosave benchmark (bench/autosave.ts).
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    /** Logger for this request (its method and URL are bound). */
    log: Logger;
  }
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const request = { method: req.method, url: req.originalUrl };
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, enumerable: false, get: () => (child ??= logger.child({ req: request })) });
    const done = (): void => {
      res.off('finish', done);
      res.off('close', done);
      const line = { req: request, res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started), userId: req.user?.id };
      if (res.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, res.writableFinished ? 'request completed' : 'request aborted');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
