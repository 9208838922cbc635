/** One way to read request input: zod schemas, and a 400 that names every bad field. */
import { z } from 'zod';
import { Problem } from '../../shared/problem.js';

export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what = 'request body'): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(body)');
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove them` : issue.message;
    return { path, message };
  });
  throw Problem.validation(`The ${what} is not valid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}.`, details);
}

/** A positive integer id from a path parameter, or 404 (a bad id names nothing that exists). */
export function idParam(value: string | undefined, what: string): number {
  const id = Number(value);
  if (!value || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id) || id < 1) throw Problem.notFound(`${what} ${value ?? ''}`.trim());
  return id;
}

/** Field schemas live in src/shared/fields.ts: every path that writes uses the same limits. */
export { bilingualName, countryCode, isoDate, shortText, stringList } from '../../shared/fields.js';
