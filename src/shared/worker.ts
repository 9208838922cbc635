/**
 * Runs one CPU-heavy job on a worker thread, so that the event loop keeps serving other requests.
 * The worker module reads `workerData.input` and posts back { ok: true, value } or { ok: false, problem }.
 */
import { Worker } from 'node:worker_threads';
import { Problem, type ProblemCode, type ProblemDetail } from './problem.js';

export type WorkerReply<T> = { ok: true; value: T } | { ok: false; problem: { code: ProblemCode; message: string; details: ProblemDetail[] } };

export function runInWorker<I, T>(module: URL, input: I, options: { timeoutMs: number; transfer?: ArrayBuffer[] }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL('./workerBoot.mjs', import.meta.url), { workerData: { module: module.href, input }, transferList: options.transfer ?? [] });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Problem('unavailable', `The work took longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped. Nothing was changed; try again when the server is less busy.`));
    }, options.timeoutMs);
    worker.once('message', (reply: WorkerReply<T>) => {
      clearTimeout(timer);
      void worker.terminate();
      if (reply.ok) resolve(reply.value);
      else reject(new Problem(reply.problem.code, reply.problem.message, reply.problem.details));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** For worker modules: answers the main thread with the value of `work`, or the Problem it threw. */
export async function answerMainThread<I, T>(work: (input: I) => T | Promise<T>): Promise<void> {
  const { parentPort, workerData } = await import('node:worker_threads');
  let reply: WorkerReply<T>;
  try {
    reply = { ok: true, value: await work((workerData as { input: I }).input) };
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    reply = { ok: false, problem: { code: error.code, message: error.message, details: error.details } };
  }
  parentPort?.postMessage(reply);
}
