/** A raw HTTP client for hostile requests: any method, path bytes, headers and body, over keep-alive. */
import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 });

export function send(baseUrl: string, req: RawRequest, agent: Agent = keepAlive): Promise<RawReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string | number> = { ...req.headers };
    if (body && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = body.length;
    const outgoing = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.setTimeout(150_000, () => outgoing.destroy(new Error(`no answer within 150 s: ${req.method} ${req.path}`)));
    outgoing.end(body);
  });
}
