/**
 * SQLite-specific tuning of the server's write path: WAL checkpoints off the request path.
 *
 * In WAL mode SQLite copies the log back into the database file (a checkpoint) on the connection whose
 * commit crosses `wal_autocheckpoint` pages (1000 by default): that commit then writes ~4 MB and syncs
 * the database file before it returns — and better-sqlite3 runs on the main thread, so every request
 * waits behind it. This was the autosave benchmark's p99 tail (p50 2 ms, p99 100–300 ms).
 *
 * The server's connection turns automatic checkpoints off; a worker thread with its own connection runs
 * PASSIVE checkpoints (which never block writers or readers) a few times a second. Durability does not
 * change: a commit is durable once the WAL is synced (synchronous=FULL); checkpoints only move pages.
 * If the worker fails, automatic checkpoints are turned back on, so the log never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** Checkpoint attempts per second at most; a PASSIVE checkpoint with nothing to copy costs microseconds. */
const INTERVAL_MS = 200;

// The worker is a small classic script, so that it runs the same from src/ (tests) and dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch (error) { if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error; }
}, workerData.interval);
parentPort.on('message', () => { clearInterval(timer); try { checkpoint.get(); } finally { db.close(); } parentPort.close(); });
`;

export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/** Moves the checkpoints of `sqlite` (a file database in WAL mode) to a worker thread. */
export function startBackgroundCheckpoints(sqlite: SQLite.Database, file: string, onError: (error: Error) => void = () => undefined): BackgroundCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, interval: INTERVAL_MS } });
  let stopped = false;
  const fallBack = (error: Error): void => {
    if (stopped || !sqlite.open) return;
    sqlite.pragma('wal_autocheckpoint = 1000');
    onError(error);
  };
  worker.on('error', fallBack);
  worker.on('exit', (code) => {
    if (!stopped) fallBack(new Error(`the checkpoint worker exited with code ${code}`));
  });
  // Not a reason to keep the process alive (a server stops by closing the store).
  worker.unref();
  sqlite.pragma('wal_autocheckpoint = 0');
  return {
    stop: () => {
      if (stopped) return Promise.resolve();
      stopped = true;
      if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
      return new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        // Referenced again while it finishes: else a process with nothing else to do would end first
        // (exit code 13, an unsettled await) without the final checkpoint.
        worker.ref();
        worker.postMessage('stop');
      });
    },
  };
}
