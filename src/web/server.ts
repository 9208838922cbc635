/**
 * Starts ENA: configuration, questionnaires (refusing invalid ones), the database (migrated to the
 * latest version), demo data on an empty database when asked, then the HTTP server.
 */
import type { Server } from 'node:http';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { Logger } from 'pino';
import { databaseLocation, type Config } from '../config/env.js';
import { createDemoAccounts, isEmptyDatabase, loadDemoData, type DemoAccount } from '../demo/loadDemo.js';
import { loadQuestionnaires } from '../questionnaire/load.js';
import { formatIssue } from '../questionnaire/yamlFile.js';
import { Problem } from '../shared/problem.js';
import { openStore, type Store } from '../storage/db.js';
import { recordSnapshots } from '../storage/questionnaireVersions.js';
import { startBackgroundCheckpoints } from '../storage/sqliteCheckpoints.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { buildClientBundle } from './pages/assets.js';
import { LazyPdfPool } from './reportPool.js';
import { reportWorkerFor } from './reportWorker.js';

export interface RunningServer {
  server: Server;
  url: string;
  logger: Logger;
  store: Store;
  /** The PDF renderer (Chromium starts on the first report). */
  pdf: LazyPdfPool;
  /** Demo accounts created by this start (only on an empty database with `demo`), to print once. */
  demoAccounts: DemoAccount[];
  close(): Promise<void>;
}

/**
 * The time budget of a request at the socket: its headers must arrive within 20 s and the whole request
 * (a 50 MB bundle on a slow mission link included) within 5 minutes, else Node answers 408 and closes
 * the connection; idle keep-alive connections close after 5 s. Work after that has its own bounds
 * (PDF renders: pool.ts; bundle checks: bundles.ts; SQLite: busy_timeout).
 */
export const HEADERS_TIMEOUT_MS = 20_000;
export const REQUEST_TIMEOUT_MS = 300_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

function applyTimeBudget(server: Server): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // At most this many header lines: a request with thousands of headers is refused (431) before any work.
  server.maxHeadersCount = 200;
}

export interface StartOptions {
  /** Load demo data and create demo accounts when the database is empty. */
  demo?: boolean;
  /** Where the demo YAML files are (default data/demo). */
  demoDir?: string;
  /** A logger to use instead of pino on stdout (tests read what is logged). */
  logger?: Logger;
  /** Where failed sign-ins are counted (an express-rate-limit Store); default: in this process's memory. */
  signInStore?: RateLimitStore;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const questionnaires = await loadQuestionnaires([config.questionnairesDir]);
  if (questionnaires.issues.length > 0) {
    throw new Problem('invalid_questionnaire',
      `ENA did not start: ${questionnaires.issues.length} problem(s) in the questionnaires (${config.questionnairesDir}):\n${questionnaires.issues.map(formatIssue).join('\n')}\nFix them (npx ena validate lists them too) and start again.`,
      questionnaires.issues.map((issue) => ({ path: `${issue.file}:${issue.line}:${issue.column} ${issue.path}`, message: issue.message })));
  }
  const store = await openStore(databaseLocation(config));
  try {
    const unbumped = await recordSnapshots(store.db, questionnaires.questionnaires);
    for (const id of unbumped) logger.warn({ questionnaire: id }, `questionnaire ${id} changed without a new version number: raise "version" so answers given before the change can be compared`);
    let demoAccounts: DemoAccount[] = [];
    if (options.demo && (await isEmptyDatabase(store.db))) {
      const loaded = await loadDemoData(store.db, questionnaires, { dir: options.demoDir, file: store.location });
      demoAccounts = await createDemoAccounts(store.db, loaded.countries);
      logger.info({ countries: loaded.countries, answers: loaded.answers }, 'demo data loaded');
    }
    const bundle = await buildClientBundle();
    if (bundle.built) logger.info({ file: bundle.file, bytes: bundle.bytes }, 'browser bundle built');
    // SQLite only: PostgreSQL checkpoints in its own server processes, never on ENA's request path.
    const checkpoints = store.engine !== 'sqlite' || store.file === ':memory:' ? undefined
      : startBackgroundCheckpoints(store.sqlite, store.file, (error) => logger.error({ err: error }, 'background WAL checkpoints stopped: SQLite checkpoints on commit again'));
    const pdf = new LazyPdfPool({ executablePath: config.chromiumPath });
    const app = createApp({ config, questionnaires, logger, store, pdf, signInStore: options.signInStore });
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.port, config.host, () => resolve(listening));
      listening.once('error', reject);
    });
    applyTimeBudget(server);
    // A serving instance also takes over jobs nobody asked it about (another instance died holding them).
    reportWorkerFor({ config, store, questionnaires, pdf }).poll();
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    return {
      server,
      url,
      logger,
      store,
      pdf,
      demoAccounts,
      close: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        // Renders still running finish before the database they record into closes.
        await pdf.close();
        await checkpoints?.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
