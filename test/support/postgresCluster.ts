/**
 * A throw-away PostgreSQL cluster for tests and benchmarks: Debian's server binaries (initdb, pg_ctl)
 * under a temp folder, on a free port, stopped and deleted at the end. PostgreSQL refuses to run as
 * root, so as root the cluster belongs to the `postgres` system user (runuser).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
  const asRoot = userInfo().uid === 0;
  const run = (tool: string, args: string[]): void => {
    const [command, fullArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(command, fullArgs, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
  };
  if (asRoot) {
    const pgUser = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const pgGroup = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(pgUser), Number(pgGroup));
  }
  const data = join(dir, 'data');
  // C collation: text sorts by code point, exactly as in SQLite, so listings come out in the same order.
  run('initdb', ['-D', data, '-U', 'ena', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=200', ...(options.fast === false ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'])];
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', settings.join(' '), 'start']);
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
