/**
 * The renderer fetches nothing and depends on nothing of the machine; the Chromium pool survives
 * crashes, overruns and long runs.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReportPdf } from '../../src/report/generate.js';
import { PdfPool } from '../../src/report/pdf/pool.js';
import { Problem } from '../../src/shared/problem.js';
import { TEST_CATALOGUE, TEST_QUESTIONNAIRES, countryInput, withAnswer } from './fixtures.js';
import { pageTexts, pdfFonts, squash } from './pdfText.js';

const run = promisify(execFile);

describe('the renderer fetches nothing', () => {
  let server: Server;
  let port = 0;
  const requests: string[] = [];
  const pool = new PdfPool();

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('fetched');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await pool.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('prints a note full of markup as literal text and the local server sees zero requests', async () => {
    const hostile = `<img src="http://127.0.0.1:${port}/x"> <iframe src="file:///etc/hostname"></iframe> <script>fetch('http://127.0.0.1:${port}/script')</script>`;
    const input = withAnswer(countryInput('KZ', { questionnaires: TEST_QUESTIONNAIRES.slice(1, 2) }), 'procedural-powers', 'preservation-basis', {
      value: 1, evidence: 'testimonial', note: hostile, noteLanguage: 'en', source: `<link rel="stylesheet" href="http://127.0.0.1:${port}/css">`,
    });
    const before = pool.stats.blockedRequests;
    const report = await generateReportPdf(pool, { kind: 'country', input }, 'en');
    const text = (await pageTexts(report.pdf)).join('\n').replace(/\s+/g, '');
    expect(text).toContain(hostile.replace(/\s+/g, ''));
    expect(text).toContain(`<linkrel="stylesheet"href="http://127.0.0.1:${port}/css">`);
    expect(text).not.toContain('fetched');
    const hostname = (await readFile('/etc/hostname', 'utf8').catch(() => '')).trim();
    if (hostname.length >= 6) expect(text).not.toContain(hostname);
    expect(requests).toEqual([]);
    expect(pool.stats.blockedRequests - before).toBe(0); // nothing was even attempted
  }, 300_000);

  it('blocks every non-data: request even if markup slipped past the escaping', async () => {
    const before = pool.stats.blockedRequests;
    const html = `<!doctype html><html><head><link rel="stylesheet" href="http://127.0.0.1:${port}/css"></head><body>
      <img src="http://127.0.0.1:${port}/img"><iframe src="file:///etc/hostname"></iframe><iframe src="http://127.0.0.1:${port}/frame"></iframe>
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
      <script>document.title = 'script ran'; fetch('http://127.0.0.1:${port}/fetch')</script><p>body</p></body></html>`;
    const title = await pool.run(async (page) => {
      await page.setContent(html, { waitUntil: 'load' });
      await page.pdf({ format: 'A4' });
      return page.title();
    });
    expect(title).toBe(''); // the script did not run
    expect(requests).toEqual([]);
    expect(pool.stats.blockedRequests - before).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

/** A fontconfig that offers Chromium one font with neither Latin nor Cyrillic letters. */
async function foreignFontsOnly(): Promise<NodeJS.ProcessEnv | undefined> {
  const { stdout } = await run('fc-list', ['--format', '%{file}\t%{lang}\n']).catch(() => ({ stdout: '' }));
  const file = stdout.split('\n').map((line) => line.split('\t')).find(([path, langs]) =>
    path?.endsWith('.ttf') && langs !== undefined && !/(^|\|)(en|ru|de|fr)(\||$)/.test(langs))?.[0];
  if (!file) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'ena-fonts-'));
  await mkdir(join(dir, 'fonts'));
  await symlink(file, join(dir, 'fonts', 'only.ttf'));
  await writeFile(join(dir, 'fonts.conf'), `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${join(dir, 'fonts')}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>\n`);
  return { ...process.env, FONTCONFIG_FILE: join(dir, 'fonts.conf') };
}

describe('fonts', () => {
  it('renders Russian and English from the embedded fonts alone, whatever the machine has installed', async (context) => {
    const env = await foreignFontsOnly();
    if (!env) {
      context.skip('no installed font without Latin and Cyrillic to isolate Chromium with');
      return;
    }
    const pool = new PdfPool({ env });
    try {
      const input = { ...countryInput('KZ', { questionnaires: TEST_QUESTIONNAIRES.slice(2, 3) }), catalogue: TEST_CATALOGUE };
      const report = await generateReportPdf(pool, { kind: 'country', input }, 'bilingual');
      const text = squash((await pageTexts(report.pdf)).join(' '));
      expect(text).toContain('Международное сотрудничество');
      expect(text).toContain('International cooperation');
      expect(text).toContain('Демонстрационные данные — не результат оценки');
      expect(text).toContain('Σ(w·s) ÷ Σw');
      const fonts = await pdfFonts(report.pdf);
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.filter((name) => !/^[A-Z]{6}\+Noto(Sans|Serif)-(Regular|Bold|Italic|BoldItalic)$/.test(name))).toEqual([]);
    } finally {
      await pool.close();
    }
  }, 300_000);
});

describe('the Chromium pool', () => {
  const trivial = async (page: import('puppeteer').Page): Promise<number | undefined> => {
    await page.setContent('<p>x</p>');
    await page.pdf({ format: 'A4' });
    return page.browser().process()?.pid;
  };

  it('replaces the browser after the configured number of renders', async () => {
    const pool = new PdfPool({ maxRendersPerBrowser: 2 });
    try {
      const pids = [await pool.run(trivial), await pool.run(trivial), await pool.run(trivial)];
      expect(pids[0]).toBe(pids[1]);
      expect(pids[2]).not.toBe(pids[0]);
      expect(pool.stats.launches).toBe(2);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('recovers from a Chromium crash by retrying once on a fresh browser', async () => {
    const pool = new PdfPool();
    try {
      let attempts = 0;
      const pid = await pool.run(async (page) => {
        attempts++;
        if (attempts === 1) {
          page.browser().process()?.kill('SIGKILL');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return trivial(page);
      });
      expect(attempts).toBe(2);
      expect(pool.stats.launches).toBe(2);
      expect(pid).toBe(pool.browserPid);
      expect(await pool.run(trivial)).toBe(pid);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('stops a render that overruns its time, and the next one runs on a fresh browser', async () => {
    const pool = new PdfPool();
    try {
      const error = await pool.run(() => new Promise((resolve) => setTimeout(resolve, 20_000)), { timeoutMs: 1500 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Problem);
      expect((error as Problem).message).toMatch(/took longer than 2 s/);
      expect(await pool.run(trivial)).toBeGreaterThan(0);
      expect(pool.stats.launches).toBe(2);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('closes every page, also after a failed render', async () => {
    const pool = new PdfPool();
    try {
      await expect(pool.run(async () => { throw new Error('template bug'); })).rejects.toThrow('template bug');
      await pool.run(trivial);
      // Only the page of this task: nothing left over (the pool closes the browser's own first tab at launch).
      expect(await pool.run(async (page) => (await page.browser().pages()).length)).toBe(1);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('renders at most `concurrency` pages at a time and refuses work beyond the queue', async () => {
    const pool = new PdfPool({ concurrency: 1, maxQueue: 1 });
    try {
      let running = 0;
      let peak = 0;
      const slow = async (page: import('puppeteer').Page) => {
        running++;
        peak = Math.max(peak, running);
        await trivial(page);
        await new Promise((resolve) => setTimeout(resolve, 300));
        running--;
      };
      const first = pool.run(slow);
      const second = pool.run(slow);
      const third = pool.run(slow).catch((e: unknown) => e);
      expect(await third).toMatchObject({ code: 'rate_limited' });
      await Promise.all([first, second]);
      expect(peak).toBe(1);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
