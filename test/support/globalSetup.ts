/**
 * One throw-away PostgreSQL cluster for the whole test run (vitest globalSetup); every test file that
 * runs on PostgreSQL makes its own database on it (test/support/engines.ts). If PostgreSQL is not
 * installed the reason is handed on, and the PostgreSQL suites fail with it instead of being skipped.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster, stopOrphanedClusters, type PostgresCluster } from './postgresCluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { adminUrl: string } | { error: string };
  }
}

let cluster: PostgresCluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    stopOrphanedClusters();
    cluster = await startPostgresCluster();
    project.provide('postgres', { adminUrl: cluster.adminUrl });
  } catch (error) {
    project.provide('postgres', { error: (error as Error).message });
  }
}

export function teardown(): void {
  cluster?.stop();
}
