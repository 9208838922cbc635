/** An `ena serve` process of its own (the real command), for tests that run several instances or kill one. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { databaseEnv } from './engines.js';

const ENA = join(import.meta.dirname, '..', '..', 'bin', 'ena.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
}

/**
 * `processGroup`: the server leads a process group of its own, so that killInstance() ends it together
 * with the Chromium it launched, as when the machine or container of an instance dies.
 */
export function spawnServer(location: string, env: Record<string, string> = {}, options: { processGroup?: boolean } = {}): Promise<ServerProcess> {
  const { ENA_DB: _file, ENA_DATABASE_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, [ENA, 'serve'], {
    env: { ...inherited, ...databaseEnv(location), PORT: '0', ENA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    });
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

export function stopServer(server: ServerProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const child = server?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** SIGKILL to the process group of a server spawned with `processGroup`: the instance and its Chromium die at once, no clean-up. */
export function killInstance(server: ServerProcess): Promise<void> {
  const { child } = server;
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGKILL');
  return exited;
}
