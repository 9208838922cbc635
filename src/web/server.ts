/** Starts ENA: configuration, questionnaires (refusing invalid ones), then the HTTP server. */
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import type { Config } from '../config/env.js';
import { loadQuestionnaires } from '../questionnaire/load.js';
import { formatIssue } from '../questionnaire/yamlFile.js';
import { Problem } from '../shared/problem.js';
import { createApp } from './app.js';

export interface RunningServer {
  server: Server;
  url: string;
  logger: Logger;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel });
  const questionnaires = await loadQuestionnaires([config.questionnairesDir]);
  if (questionnaires.issues.length > 0) {
    throw new Problem('invalid_questionnaire',
      `ENA did not start: ${questionnaires.issues.length} problem(s) in the questionnaires (${config.questionnairesDir}):\n${questionnaires.issues.map(formatIssue).join('\n')}\nFix them (npx ena validate lists them too) and start again.`,
      questionnaires.issues.map((issue) => ({ path: `${issue.file}:${issue.line}:${issue.column} ${issue.path}`, message: issue.message })));
  }
  const app = createApp({ config, questionnaires, logger });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  return {
    server,
    url,
    logger,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
