import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../shared/problem.js';
import { errorHandler, notFoundHandler } from '../errors.js';
import { requestLog } from '../requestLog.js';
import { pageErrorHandler, pageNotFound } from './errors.js';
import { createPageRenderer } from './view.js';

let server: Server;
let base: string;

beforeAll(async () => {
  const renderer = createPageRenderer();
  const app = express();
  app.use(requestLog(pino({ level: 'silent' })));
  app.get('/boom', () => {
    throw new Error('secret stack detail');
  });
  app.get('/forbidden', () => {
    throw Problem.forbidden();
  });
  app.get('/api/boom', () => {
    throw new Error('secret stack detail');
  });
  app.get('/', () => {
    throw new Problem('unauthenticated', 'Sign in first');
  });
  app.get('/private', () => {
    throw new Problem('unauthenticated', 'Sign in first');
  });
  app.use(pageNotFound(renderer));
  app.use(notFoundHandler);
  app.use(pageErrorHandler(renderer));
  app.use(errorHandler);
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const get = async (path: string, language = 'en') => {
  const response = await fetch(`${base}${path}`, { headers: { 'accept-language': language, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, redirect: 'manual' });
  return { status: response.status, text: await response.text(), location: response.headers.get('location') };
};

describe('error pages', () => {
  it('renders 401, 403, 404 and 500 as pages in English and in Russian, without internals', async () => {
    const cases: [string, number, string, string][] = [
      ['/private', 401, 'Please sign in', 'Войдите в систему'],
      ['/forbidden', 403, 'Access denied', 'Доступ запрещён'],
      ['/nothing', 404, 'Page not found', 'Страница не найдена'],
      ['/boom', 500, 'Something went wrong on the server', 'Ошибка на сервере'],
    ];
    for (const [path, status, en, ru] of cases) {
      const english = await get(path, 'en');
      expect([english.status, english.text.includes(`<h1>${en}</h1>`)]).toEqual([status, true]);
      const russian = await get(path, 'ru-RU,ru;q=0.9');
      expect([russian.status, russian.text.includes(`<h1>${ru}</h1>`)]).toEqual([status, true]);
      expect(russian.text).toContain('<html lang="ru">');
      expect(english.text).not.toContain('secret stack detail');
    }
    expect((await get('/private')).text).toContain('href="/login?next=%2Fprivate"');
  });

  it('sends a signed-out visitor at the front door to the sign-in form, and leaves API errors as JSON', async () => {
    expect(await get('/')).toMatchObject({ status: 303, location: '/login' });
    // A script that does not ask for HTML gets the JSON error shape, on any path.
    const script = await fetch(`${base}/nothing`);
    expect([script.status, ((await script.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);
    const api = await get('/api/boom');
    expect(api.status).toBe(500);
    expect(JSON.parse(api.text)).toEqual({ error: { code: 'internal', message: 'Something went wrong on the server. The error was logged; please try again.', details: [] } });
  });
});
