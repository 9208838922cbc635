/**
 * Configuration from environment variables, validated once at start. A bad value stops ENA with one
 * clear line per variable instead of failing later in an unrelated place.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { Problem } from '../shared/problem.js';

const port = z.coerce.number({ error: 'must be a port number' }).int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535');
const nonEmptyPath = z.string().trim().min(1, 'must be a file or folder path');
const count = (min: number, max: number) => z.coerce.number({ error: `must be a whole number from ${min} to ${max}` }).int(`must be a whole number from ${min} to ${max}`)
  .min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`);

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  ENA_DB: nonEmptyPath.default('data/ena.sqlite'),
  /** When set, ENA stores everything in this PostgreSQL database instead of the ENA_DB file. */
  ENA_DATABASE_URL: z.string().trim()
    .regex(/^postgres(ql)?:\/\/[^/\s]+\/[^/\s?]+/, 'must be a PostgreSQL URL with a database name: postgres://user:password@host:5432/ena')
    .refine((v) => URL.canParse(v), 'is not a readable URL (percent-encode special characters in the password)')
    .optional().or(z.literal('').transform(() => undefined)),
  ENA_QUESTIONNAIRES: nonEmptyPath.default('questionnaires'),
  ENA_REPORTS: nonEmptyPath.default('reports'),
  ENA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set when ENA runs behind TLS, so that cookies are marked Secure. */
  ENA_SECURE_COOKIES: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false').transform((v) => v === 'true'),
  ENA_REPORT_MARKING: z.string().trim().max(120, 'must be at most 120 characters').default('For official use'),
  PUPPETEER_EXECUTABLE_PATH: z.string().trim().min(1).optional(),
  /** Shared secret that signs mission bundles (HMAC-SHA256); when set, only bundles signed with it are imported. */
  ENA_BUNDLE_KEY: z.string().trim().min(32, 'must be at least 32 characters: use a random secret, e.g. the output of `openssl rand -hex 32`').optional()
    .or(z.literal('').transform(() => undefined)),
  /** A session unused for this many minutes ends (default 12 hours). */
  ENA_SESSION_IDLE_MINUTES: count(5, 7 * 24 * 60).default(12 * 60),
  /** A session ends this many hours after sign-in, however busy (default 72: a mission visit). */
  ENA_SESSION_MAX_HOURS: count(1, 90 * 24).default(72),
  /** Failed sign-ins allowed per client address and window, API and form counted together. */
  ENA_SIGNIN_FAILURES: count(1, 10_000).default(10),
  ENA_SIGNIN_WINDOW_MINUTES: count(1, 24 * 60).default(15),
  /** How long a report job stays with the instance that claimed it without a sign of life (renewed while it renders). */
  ENA_JOB_LEASE_SECONDS: count(3, 60 * 60).default(120),
}).refine((v) => v.ENA_SESSION_IDLE_MINUTES <= v.ENA_SESSION_MAX_HOURS * 60, { path: ['ENA_SESSION_IDLE_MINUTES'], message: 'must not be longer than ENA_SESSION_MAX_HOURS' });

export type Config = {
  port: number;
  host: string;
  dbFile: string;
  /** PostgreSQL URL (ENA_DATABASE_URL); when set, dbFile is not used. */
  databaseUrl: string | undefined;
  questionnairesDir: string;
  reportsDir: string;
  logLevel: z.infer<typeof envSchema>['ENA_LOG_LEVEL'];
  secureCookies: boolean;
  reportMarking: string;
  chromiumPath: string | undefined;
  bundleKey: string | undefined;
  /** Idle timeout and absolute lifetime of sessions (storage/sessions.ts SessionPolicy). */
  sessionPolicy: { idleMinutes: number; maxHours: number };
  /** One budget of failed sign-ins per address for POST /api/session and POST /login together. */
  signInLimit: { failures: number; windowMinutes: number };
  /** Report job lease (ENA_JOB_LEASE_SECONDS): after it runs out, another instance retries the job. */
  jobLeaseMs: number;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: String(issue.path[0]),
      message: `${String(issue.path[0])}=${JSON.stringify(env[String(issue.path[0])] ?? '')} ${issue.message}`,
    }));
    throw new Problem('invalid_config', `Invalid configuration:\n${details.map((d) => `  ${d.message}`).join('\n')}`, details);
  }
  const v = parsed.data;
  return {
    port: v.PORT,
    host: v.HOST,
    dbFile: resolve(v.ENA_DB),
    databaseUrl: v.ENA_DATABASE_URL,
    questionnairesDir: resolve(v.ENA_QUESTIONNAIRES),
    reportsDir: resolve(v.ENA_REPORTS),
    logLevel: v.ENA_LOG_LEVEL,
    secureCookies: v.ENA_SECURE_COOKIES,
    reportMarking: v.ENA_REPORT_MARKING,
    chromiumPath: v.PUPPETEER_EXECUTABLE_PATH,
    bundleKey: v.ENA_BUNDLE_KEY,
    sessionPolicy: { idleMinutes: v.ENA_SESSION_IDLE_MINUTES, maxHours: v.ENA_SESSION_MAX_HOURS },
    signInLimit: { failures: v.ENA_SIGNIN_FAILURES, windowMinutes: v.ENA_SIGNIN_WINDOW_MINUTES },
    jobLeaseMs: v.ENA_JOB_LEASE_SECONDS * 1000,
  };
}

/** What `openStore` opens: the PostgreSQL URL when one is configured, else the SQLite file. */
export function databaseLocation(config: Pick<Config, 'dbFile' | 'databaseUrl'>): string {
  return config.databaseUrl ?? config.dbFile;
}
