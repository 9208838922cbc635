/**
 * One long-lived Chromium shared by all report renders, with a bounded number of pages at a time and a
 * FIFO queue behind them. The browser is replaced after `maxRendersPerBrowser` renders (long-lived
 * renderers grow) and after a crash. A crash is noticed the moment Chromium reports it — the page's
 * renderer process died ('error'), the page or its target went away ('close'), or the browser process
 * ended ('disconnected') — rather than when a CDP call times out; the render is then retried once on a
 * fresh page of a fresh browser, and a second crash is a clear 503.
 * Every page is closed whatever happens, and every page is locked down before any HTML reaches it:
 * JavaScript off and every request that is not a data: URL aborted.
 */
import type { Browser, HTTPRequest, Page } from 'puppeteer';
import { setTimeout as delay } from 'node:timers/promises';
import { Problem } from '../../shared/problem.js';

/** The flags ENA launches Chromium with (container-friendly, no background traffic). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--mute-audio',
  // Headless Chromium otherwise keeps a renderer with the omnibox popup's WebUI (~60 MB, ~0.5 s of CPU at
  // launch) and a spare renderer for the next tab; the pool needs neither (issue 13, bench/report.ts).
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess',
] as const;

export interface PdfPoolOptions {
  /** Chromium binary; defaults to what puppeteer's configuration (.puppeteerrc.cjs) names. */
  executablePath?: string | undefined;
  /** Pages rendering at the same time (2 suits a 2-core machine). */
  concurrency?: number;
  /** Renders after which the browser is replaced. */
  maxRendersPerBrowser?: number;
  /** Longest time one task may take, page set-up and all passes included. */
  taskTimeoutMs?: number;
  /** Tasks that may wait for a page before new ones are refused. */
  maxQueue?: number;
  /** Environment for the Chromium process (tests use it to hide the machine's fonts). */
  env?: NodeJS.ProcessEnv | undefined;
  onEvent?: (event: PoolEvent) => void;
}

export type PoolEvent =
  | { type: 'launch'; pid: number | undefined; generation: number }
  | { type: 'retire'; pid: number | undefined; reason: 'max-renders' | 'crash' | 'stuck' | 'close' }
  | { type: 'crash-retry'; attempt: number; what: CrashKind }
  | { type: 'blocked-request'; url: string };

export interface PoolStats {
  launches: number;
  renders: number;
  /** Renders retried after a crash of their renderer or browser. */
  crashRetries: number;
  active: number;
  queued: number;
  blockedRequests: number;
  pid: number | undefined;
}

interface Generation {
  id: number;
  browser: Browser;
  uses: number;
  active: number;
  retired: boolean;
}

const PAGE_CLOSE_TIMEOUT_MS = 10_000;
/** Closing a page whose renderer died should be immediate; do not wait long before the retry. */
const CRASHED_PAGE_CLOSE_TIMEOUT_MS = 2_000;
/** A new blank page is ready in milliseconds; one that is not after this long lost its renderer while starting. */
const NEW_PAGE_TIMEOUT_MS = 10_000;
/** How long a failed Chromium call waits for the crash event that may explain it (it can come just after). */
const CRASH_SETTLE_MS = 1_000;

class TaskTimeout extends Error {}

type CrashKind = 'renderer' | 'page' | 'browser';
const CRASH_TEXT: Record<CrashKind, string> = { renderer: 'its renderer process died', page: 'its page stopped responding or was closed', browser: 'the browser process ended' };

class RenderCrash extends Error {
  constructor(readonly what: CrashKind) {
    super(`Chromium crashed while rendering: ${CRASH_TEXT[what]}`);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TaskTimeout(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class PdfPool {
  private readonly options: Required<Omit<PdfPoolOptions, 'executablePath' | 'env' | 'onEvent'>> & Pick<PdfPoolOptions, 'executablePath' | 'env' | 'onEvent'>;
  private current: Generation | null = null;
  private launching: Promise<Generation> | null = null;
  private readonly closing = new Set<Promise<void>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private closed = false;
  private generations = 0;
  private renders = 0;
  private blocked = 0;
  private crashRetries = 0;

  constructor(options: PdfPoolOptions = {}) {
    this.options = {
      concurrency: 2,
      maxRendersPerBrowser: 100,
      taskTimeoutMs: 120_000,
      maxQueue: 100,
      ...options,
    };
  }

  get stats(): PoolStats {
    return {
      launches: this.generations,
      renders: this.renders,
      crashRetries: this.crashRetries,
      active: this.running,
      queued: this.waiting.length,
      blockedRequests: this.blocked,
      pid: this.current?.browser.process()?.pid,
    };
  }

  /** The Chromium process currently in use (for tests and the benchmark's RSS readings). */
  get browserPid(): number | undefined {
    return this.current?.browser.process()?.pid;
  }

  /** Runs `task` on a fresh, locked-down page; the page is closed afterwards whatever happens. */
  run<T>(task: (page: Page) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    const running = this.runTask(task, options.timeoutMs ?? this.options.taskTimeoutMs);
    this.inflight.add(running);
    void running.then(() => this.inflight.delete(running), () => this.inflight.delete(running));
    return running;
  }

  private async runTask<T>(task: (page: Page) => Promise<T>, timeoutMs: number): Promise<T> {
    if (this.closed) throw new Problem('internal', 'The PDF renderer has been shut down.');
    await this.acquireSlot();
    try {
      for (let attempt = 1; ; attempt++) {
        const generation = await this.generation();
        generation.uses++;
        generation.active++;
        let page: Page | undefined;
        let crashed: RenderCrash | undefined;
        let signalCrash: (crash: RenderCrash) => void = () => undefined;
        const crash = new Promise<never>((_, reject) => {
          signalCrash = (error) => {
            crashed ??= error;
            reject(error);
          };
        });
        crash.catch(() => undefined);
        const browserGone = (): void => signalCrash(new RenderCrash('browser'));
        // on, not once: puppeteer's once() registers a wrapper that off(browserGone) cannot find, and the
        // wrapper kept this task's page and HTML alive for the browser's lifetime (~1 MB per report).
        generation.browser.on('disconnected', browserGone);
        try {
          const work = (async () => {
            // A renderer that dies while the page starts leaves newPage() waiting for ever: bound it.
            page = await withTimeout(generation.browser.newPage(), NEW_PAGE_TIMEOUT_MS).catch((error: unknown) => {
              signalCrash(new RenderCrash('page'));
              throw error;
            });
            // 'error' is puppeteer's "page crashed" (the renderer process died); 'close' covers a destroyed target.
            page.once('error', () => signalCrash(new RenderCrash('renderer')));
            page.once('close', () => signalCrash(new RenderCrash('page')));
            await this.lockDown(page);
            return task(page);
          })();
          work.catch(() => undefined); // after a timeout or a crash the abandoned work may still reject
          const result = await withTimeout(Promise.race([work, crash]), timeoutMs);
          this.renders++;
          return result;
        } catch (error) {
          // A CDP call cut off by the crash (TargetCloseError, or "Printing failed" from a renderer that died
          // during printToPDF) may arrive before the crash event itself: give that event a moment to come.
          if (!crashed && (error as Error | null)?.name === 'ProtocolError') await Promise.race([crash.catch(() => undefined), delay(CRASH_SETTLE_MS)]);
          const crashedNow = crashed ?? (!generation.browser.connected ? new RenderCrash('browser') : (error as Error | null)?.name === 'TargetCloseError' ? new RenderCrash('page') : undefined);
          if (crashedNow && !this.closed && attempt === 1) {
            // A browser that lost a renderer may not start the next page cleanly: retry on a fresh one.
            this.retire(generation, 'crash');
            this.crashRetries++;
            this.options.onEvent?.({ type: 'crash-retry', attempt, what: crashedNow.what });
            continue;
          }
          if (crashedNow) {
            throw new Problem('unavailable', `The PDF renderer (Chromium) crashed twice while rendering this report (${CRASH_TEXT[crashedNow.what]}), so it was stopped. Nothing was saved. Try again in a minute; if it keeps happening, the server may be short of memory: tell the administrator (the server log has the details).`);
          }
          if (error instanceof TaskTimeout) {
            // A page that overran may leave its renderer busy: start the next task on a fresh browser.
            this.retire(generation, 'stuck');
            throw new Problem('unavailable', `Rendering the PDF took longer than ${Math.round(timeoutMs / 1000)} s and was stopped. Nothing was saved. Try again when the server is less busy; if it happens again, tell the administrator.`);
          }
          throw error;
        } finally {
          generation.browser.off('disconnected', browserGone);
          if (page) await this.closePage(page, generation, crashed ? CRASHED_PAGE_CLOSE_TIMEOUT_MS : PAGE_CLOSE_TIMEOUT_MS);
          generation.active--;
          if (generation.retired && generation.active === 0) this.closeBrowser(generation);
        }
      }
    } finally {
      this.releaseSlot();
    }
  }

  /** Lets running tasks finish, refuses queued ones, then closes the browser(s). */
  async close(): Promise<void> {
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) resolve();
    await Promise.allSettled([...this.inflight]);
    const launching = this.launching;
    if (launching) await launching.catch(() => undefined);
    if (this.current) this.retire(this.current, 'close');
    await Promise.all([...this.closing]);
  }

  private async acquireSlot(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.options.maxQueue) {
      throw new Problem('rate_limited', `${this.waiting.length} reports are already waiting to be rendered. Try again in a minute.`);
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.closed) throw new Problem('internal', 'The PDF renderer was shut down before this report could be rendered.');
    // The slot was handed over by releaseSlot: `running` already counts it.
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async generation(): Promise<Generation> {
    const current = this.current;
    if (current && !current.retired && current.browser.connected && current.uses < this.options.maxRendersPerBrowser) return current;
    if (current) this.retire(current, current.browser.connected ? 'max-renders' : 'crash');
    this.launching ??= this.launch().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async launch(): Promise<Generation> {
    let browser: Browser;
    try {
      // Loaded with the first browser, not with the server or the command line (~0.4 s of loading).
      const { default: puppeteer } = await import('puppeteer');
      browser = await puppeteer.launch({
        executablePath: this.options.executablePath ?? puppeteer.executablePath(),
        headless: true,
        pipe: true, // no DevTools port on the machine
        args: [...CHROMIUM_ARGS],
        env: this.options.env ?? process.env,
        timeout: 30_000,
        protocolTimeout: this.options.taskTimeoutMs + 30_000,
      });
    } catch (error) {
      throw new Problem('internal', `Could not start Chromium to render PDFs: ${(error as Error).message}. Install Chromium or set PUPPETEER_EXECUTABLE_PATH to its binary.`);
    }
    // The blank tab Chromium opens at launch holds a renderer (~40 MB) the pool never uses: every task gets its own page.
    for (const page of await browser.pages().catch(() => [])) await page.close().catch(() => undefined);
    const generation: Generation = { id: ++this.generations, browser, uses: 0, active: 0, retired: false };
    browser.on('disconnected', () => {
      if (!generation.retired) this.retire(generation, 'crash');
    });
    this.current = generation;
    this.options.onEvent?.({ type: 'launch', pid: browser.process()?.pid, generation: generation.id });
    return generation;
  }

  private retire(generation: Generation, reason: 'max-renders' | 'crash' | 'stuck' | 'close'): void {
    if (generation.retired) return;
    generation.retired = true;
    if (this.current === generation) this.current = null;
    this.options.onEvent?.({ type: 'retire', pid: generation.browser.process()?.pid, reason });
    if (generation.active === 0) this.closeBrowser(generation);
  }

  private closeBrowser(generation: Generation): void {
    const closing = (async () => {
      try {
        if (generation.browser.connected) await withTimeout(generation.browser.close(), PAGE_CLOSE_TIMEOUT_MS);
      } catch {
        generation.browser.process()?.kill('SIGKILL');
      }
    })();
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }

  private async closePage(page: Page, generation: Generation, timeoutMs: number): Promise<void> {
    try {
      if (!page.isClosed()) await withTimeout(page.close(), timeoutMs);
    } catch {
      // A page that cannot be closed means a wedged renderer: replace the browser.
      this.retire(generation, 'stuck');
    }
  }

  private async lockDown(page: Page): Promise<void> {
    await page.setJavaScriptEnabled(false);
    page.setDefaultTimeout(this.options.taskTimeoutMs);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      if (request.isInterceptResolutionHandled()) return;
      if (request.url().startsWith('data:')) {
        void request.continue().catch(() => undefined);
      } else {
        this.blocked++;
        this.options.onEvent?.({ type: 'blocked-request', url: request.url().slice(0, 200) });
        void request.abort('blockedbyclient').catch(() => undefined);
      }
    });
  }
}
