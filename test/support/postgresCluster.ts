/**
 * A throw-away PostgreSQL cluster for tests and benchmarks: Debian's server binaries (initdb, pg_ctl)
 * under a temp folder, on a free port, stopped and deleted at the end. PostgreSQL refuses to run as
 * root, so as root the cluster belongs to the `postgres` system user (runuser).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresCluster {
  /** Superuser URL of the maintenance database `postgres`. */
  adminUrl: string;
  port: number;
  stop(): void;
}

function runTool(bin: string, dir: string, tool: string, args: string[]): void {
  const [command, fullArgs] = userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  execFileSync(command, fullArgs, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Stops and deletes clusters left behind by test runs that were killed before their teardown. */
export function stopOrphanedClusters(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('ena-pg-'))) {
    const dir = join(tmpdir(), name);
    const owner = Number(existsSync(join(dir, 'owner.pid')) ? readFileSync(join(dir, 'owner.pid'), 'utf8') : 0);
    if (!owner || isAlive(owner)) continue;
    try {
      if (existsSync(join(dir, 'data', 'postmaster.pid'))) runTool(postgresBinDir(), dir, 'pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped: only the folder is left.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  throw new Error('PostgreSQL tests need Debian\'s postgresql package (/usr/lib/postgresql/<version>/bin/initdb): run `node scripts/ensure-setup.mjs` as root or `apt-get install postgresql`.');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** `fast`: no fsync (tests prove behaviour, not durability); benchmarks pass false to measure real commits. */
export async function startPostgresCluster(options: { fast?: boolean } = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'ena-pg-'));
  // Who started it: a run killed before its teardown leaves a cluster that the next run stops.
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const run = (tool: string, args: string[]): void => runTool(bin, dir, tool, args);
  if (userInfo().uid === 0) {
    const pgUser = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const pgGroup = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(pgUser), Number(pgGroup));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    // C collation: text sorts by code point, exactly as in SQLite, so listings come out in the same order.
    run('initdb', ['-D', data, '-U', 'ena', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    const settings = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=200', ...(options.fast === false ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'])];
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', settings.join(' '), 'start']);
  } catch (error) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start a throw-away PostgreSQL cluster: ${(error as Error).message}${log ? `\n${log}` : ''}`);
  }
  let stopped = false;
  return {
    adminUrl: `postgres://ena@127.0.0.1:${port}/postgres`,
    port,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A new, empty database on the cluster; returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 'ena'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
