// Starts a worker thread on a TypeScript module: ENA runs its sources through tsx (see bin/ena.js),
// and a worker thread does not inherit the main thread's loader, so it registers tsx first.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
