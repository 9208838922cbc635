/**
 * The server's log: readable lines on a terminal (pino-pretty: time, level, message, the request in
 * one line), one JSON object per line everywhere else (a pipe, a file, a service manager), which is what
 * log collectors read.
 */
import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export function createLogger(level: string, output: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Logger {
  if (!output.isTTY) return pino({ level }, output);
  return pino({ level }, PinoPretty({ destination: output as NodeJS.WritableStream & { write: (chunk: string) => boolean }, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true }));
}
