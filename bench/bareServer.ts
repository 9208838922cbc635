/**
 * The floor for the autosave benchmark: a bare Express handler that parses the JSON body and does one
 * plain SQLite insert, on the same SQLite settings as ENA (WAL, synchronous=FULL). No auth, no
 * validation, no revision check, no history, no audit.
 */
import express from 'express';
import { openSqlite } from '../src/storage/db.js';

const [file, port] = [process.env.BENCH_DB ?? '', Number(process.env.PORT ?? 0)];
const sqlite = openSqlite(file);
sqlite.exec('create table if not exists saves (id integer primary key, slot text not null, value text not null, at text not null)');
const insert = sqlite.prepare('insert into saves (slot, value, at) values (?, ?, ?)');

const app = express();
app.use(express.json({ limit: '256kb' }));
app.put('/bare/:slot', (req, res) => {
  const info = insert.run(req.params.slot, JSON.stringify((req.body as { value?: unknown }).value ?? null), new Date().toISOString());
  res.json({ revision: Number(info.lastInsertRowid) });
});
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.listen(port, '127.0.0.1');
