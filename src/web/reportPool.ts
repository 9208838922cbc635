/**
 * The server's one PDF renderer. The PdfPool is made on the first PDF request, so a server that never
 * renders a report never starts Chromium; RunningServer.close() closes it after running renders finish.
 */
import { Problem } from '../shared/problem.js';
import { PdfPool, type PdfPoolOptions } from '../report/pdf/pool.js';

export class LazyPdfPool {
  private pool: PdfPool | null = null;
  private closed = false;
  private readonly closeHooks: (() => Promise<void>)[] = [];

  constructor(private readonly options: PdfPoolOptions = {}) {}

  /** The pool once a PDF was asked for, else null (tests check that idle servers start no Chromium). */
  get current(): PdfPool | null {
    return this.pool;
  }

  get(): PdfPool {
    if (this.closed) throw new Problem('internal', 'The server is shutting down: the PDF renderer is closed. Try again once ENA is back.');
    this.pool ??= new PdfPool(this.options);
    return this.pool;
  }

  /** Runs before the renderer closes: e.g. the report job worker finishing its current job. */
  beforeClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  async close(): Promise<void> {
    await Promise.all(this.closeHooks.map((hook) => hook()));
    this.closed = true;
    await this.pool?.close();
  }
}
