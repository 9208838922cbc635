/**
 * Crash test: a child process serving the API is killed with SIGKILL while clients keep saving. After a
 * restart every acknowledged save is present (with its revision and value), the audit chain is intact
 * and (SQLite) PRAGMA integrity_check is ok. On both engines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createAssessment } from '../../src/storage/assessments.js';
import { SYSTEM, verifyAuditChain } from '../../src/storage/audit.js';
import { createCountry } from '../../src/storage/countries.js';
import { createMission } from '../../src/storage/missions.js';
import { databaseEnv, ENGINES, testLocation } from '../support/engines.js';
import { Client, FIXTURES, seedUser, withStore } from './helpers.js';

const ENA = join(import.meta.dirname, '..', '..', 'bin', 'ena.js');
const WRITERS = 8;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function serve(dbFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [ENA, 'serve'], {
    env: { ...process.env, ...databaseEnv(dbFile), ENA_QUESTIONNAIRES: FIXTURES, PORT: '0', ENA_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

interface Ack {
  revision: number;
  value: string;
}

describe.each(ENGINES)('crash safety on %s', (engine) => {
  it('keeps every acknowledged save across a SIGKILL', async () => {
    const dbFile = await testLocation(engine, 'ena-crash-');
    const assessments = await withStore(dbFile, async (store) => {
      await createCountry(store.db, SYSTEM, { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } });
      await seedUser(store.db, 'expert@example.org', 'expert', ['KZ']);
      const ids: number[] = [];
      for (let w = 0; w < WRITERS; w++) {
        const mission = await createMission(store.db, SYSTEM, { countryCode: 'KZ', title: `Mission ${w}`, startsOn: '2025-06-11', endsOn: '2025-06-13' });
        ids.push((await createAssessment(store.db, SYSTEM, { missionId: mission.id, questionnaireId: 'preservation-demo', questionnaireVersion: 1 })).id);
      }
      return ids;
    });

    const first = await serve(dbFile);
    const client = new Client(first.url);
    expect((await client.login('expert@example.org')).status).toBe(201);

    const acked: Ack[][] = assessments.map(() => []);
    let stop = false;
    let killedAt = 0;
    const writer = async (w: number): Promise<void> => {
      for (let revision = 1; !stop; revision++) {
        const value = `writer ${w}, save ${revision}: Закон № ${revision}`;
        try {
          const reply = await client.request<{ revision: number }>('PUT', `/api/assessments/${assessments[w]}/answers/documents-received`, { value, note: value, baseRevision: revision - 1, opId: `w${w}-r${revision}` });
          if (reply.status !== 200) throw new Error(`unexpected ${reply.status}: ${JSON.stringify(reply.body)}`);
          acked[w]?.push({ revision: reply.body.revision, value });
        } catch (error) {
          if (killedAt > 0) return; // the server is gone: this save was never acknowledged
          throw error;
        }
      }
    };
    const running = Array.from({ length: WRITERS }, (_, w) => writer(w));
    // Let the writers get going, then kill the server in the middle of their saves.
    while (acked.reduce((n, list) => n + list.length, 0) < 400) await new Promise((resolve) => setTimeout(resolve, 20));
    killedAt = Date.now();
    first.child.kill('SIGKILL');
    await Promise.all(running);
    stop = true;
    const total = acked.reduce((n, list) => n + list.length, 0);
    expect(total).toBeGreaterThanOrEqual(400);

    // The SQLite file is sound before ENA even opens it again.
    if (engine === 'sqlite') {
      const raw = new SQLite(dbFile);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
    }

    const second = await serve(dbFile);
    try {
      const again = new Client(second.url);
      await again.login('expert@example.org');
      for (const [w, id] of assessments.entries()) {
        const history = await again.get<{ history: { revision: number; value: string; note: string }[] }>(`/api/assessments/${id}/answers/documents-received/history`);
        const stored = new Map(history.body.history.map((h) => [h.revision, h.value]));
        for (const ack of acked[w] ?? []) expect(stored.get(ack.revision), `writer ${w} revision ${ack.revision}`).toBe(ack.value);
        // At most the one save in flight at the kill may have committed without its acknowledgement.
        expect(history.body.history.length - (acked[w]?.length ?? 0)).toBeLessThanOrEqual(1);
      }
    } finally {
      second.child.kill('SIGTERM');
    }
    await withStore(dbFile, async (store) => {
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
      if (store.engine === 'sqlite') expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    });
  });
});
