/**
 * Static files under content-hashed addresses: kept by browsers for a year, while a stale or missing hash
 * is revalidated, so a changed file never hides behind an old copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/web/server.js';
import { startTestServer } from '../api/helpers.js';

let running: RunningServer;
beforeAll(async () => { running = await startTestServer(); });
afterAll(async () => running?.close());

async function assetUrls(): Promise<string[]> {
  const html = await (await fetch(`${running.url}/login`, { headers: { accept: 'text/html' } })).text();
  return [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((match) => match[1] as string);
}

describe('static files', () => {
  it('links the stylesheet, the bundle and the icon under content-hashed addresses that are cached immutably', async () => {
    const urls = await assetUrls();
    expect(urls).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/static\/v\/[0-9a-f]{12}\/ena\.css$/),
      expect.stringMatching(/^\/static\/v\/[0-9a-f]{12}\/build\/main\.js$/),
      expect.stringMatching(/^\/static\/v\/[0-9a-f]{12}\/favicon\.svg$/),
    ]));
    for (const url of urls) {
      const reply = await fetch(`${running.url}${url}`);
      expect(reply.status, url).toBe(200);
      expect(reply.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable');
    }
  });

  it('revalidates a plain address and an address whose hash is not the current content', async () => {
    const css = (await assetUrls()).find((url) => url.endsWith('/ena.css')) as string;
    const plain = await fetch(`${running.url}/static/ena.css`);
    const stale = await fetch(`${running.url}${css.replace(/\/v\/[0-9a-f]{12}\//, '/v/000000000000/')}`);
    for (const reply of [plain, stale]) {
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-cache');
    }
    expect(await stale.text()).toBe(await (await fetch(`${running.url}${css}`)).text());
  });

  it('answers 404 for a hashed address outside the static folder', async () => {
    expect((await fetch(`${running.url}/static/v/000000000000/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${running.url}/static/v/000000000000/nothing.css`)).status).toBe(404);
  });
});
