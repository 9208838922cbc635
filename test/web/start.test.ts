/**
 * A newcomer's `ena serve --demo` (what `npm start` runs), as a real process: every start prints where
 * to sign in and which demo accounts exist; passwords only on the start that created them, after that
 * the command to set a new one. Logs are JSON lines when stdout is not a terminal, readable lines on one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/web/logger.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

/** Starts `ena serve --demo`, waits for the banner and the first request's log line, then stops it. */
async function start(): Promise<string> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'ena.js'), 'serve', '--demo'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ENA_DB: join(dir, 'ena.sqlite'), ENA_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 90 s:\n${output}`)), 90_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const url = /Sign in at (http:\/\/\S+)\/login/.exec(output)?.[1];
        if (url && !output.includes('"/healthz"')) void fetch(`${url}/healthz`).catch(() => undefined);
        if (output.includes('"url":"/healthz"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`ena serve exited with ${code}:\n${output}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
  }
  return output;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ena-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('says where to sign in and which demo accounts exist on every start, passwords only once', async () => {
    const first = await start();
    expect(first).toMatch(/Sign in at http:\/\/127\.0\.0\.1:\d+\/login/);
    expect(first).toContain('passwords shown only now');
    const password = /^ {2}admin\s+(\S+@\S+)\s+(\S+)/m.exec(first);
    expect(password?.[2]).toBeTruthy();

    const second = await start();
    expect(second).toMatch(/Sign in at http:\/\/127\.0\.0\.1:\d+\/login/);
    expect(second).toContain(password?.[1]);
    expect(second).not.toContain(password?.[2]);
    expect(second).toContain('npx ena user passwd --email');
    // Not a terminal: the log is JSON, one object per line.
    const logLine = second.split('\n').find((line) => line.includes('"/healthz"'));
    expect(() => JSON.parse(logLine ?? '')).not.toThrow();
  }, 200_000);

  it('writes readable lines, not JSON, to a terminal', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    let written = '';
    terminal.on('data', (chunk: Buffer) => { written += chunk.toString(); });
    createLogger('info', terminal).info({ userId: 3 }, 'request completed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toContain('request completed');
    expect(written).toMatch(/INFO/);
    expect(written.trim().startsWith('{')).toBe(false);
  });
});
