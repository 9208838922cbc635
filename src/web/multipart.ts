/**
 * A bounded multipart/form-data reader (RFC 7578) for the one page form that uploads a file without
 * JavaScript: the bundle import. The whole body is already in memory (express.raw with a size limit),
 * so this only splits it: a handful of parts, short headers, text fields as UTF-8 and files as bytes.
 * No temporary files, no streaming: a bundle is a few megabytes at most.
 */
import { Problem } from '../shared/problem.js';

export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

/** The import form has three parts (token, file, language); anything far beyond that is not our form. */
export const MAX_PARTS = 16;
const MAX_PART_HEADER_BYTES = 2048;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

const malformed = (message: string): Problem =>
  new Problem('bad_request', `The uploaded form could not be read: ${message}. Reload the page and choose the file again.`, [{ path: '(body)', message }]);

function boundaryOf(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!/^multipart\/form-data\b/i.test(contentType) || !boundary) throw malformed('it is not multipart/form-data with a boundary');
  return boundary;
}

function dispositionOf(headers: string): { name: string; fileName: string | null } {
  const line = headers.split('\r\n').find((h) => /^content-disposition:/i.test(h));
  const name = line ? /;\s*name="([^"]*)"/i.exec(line)?.[1] : undefined;
  if (!line || name === undefined) throw malformed('a part has no field name');
  const fileName = /;\s*filename="([^"]*)"/i.exec(line)?.[1] ?? null;
  return { name, fileName };
}

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const result: MultipartBody = { fields: {}, files: {} };
  let position = body.indexOf(delimiter);
  if (position < 0) throw malformed('the boundary never occurs');
  for (let parts = 0; ; parts++) {
    position += delimiter.length;
    // "--" after a delimiter closes the body.
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return result;
    if (parts >= MAX_PARTS) throw malformed(`more than ${MAX_PARTS} parts`);
    if (!body.subarray(position, position + 2).equals(CRLF)) throw malformed('a boundary line is not followed by a line break');
    const headersStart = position + 2;
    const headersEnd = body.indexOf(HEADER_END, headersStart);
    if (headersEnd < 0 || headersEnd - headersStart > MAX_PART_HEADER_BYTES) throw malformed('a part has no complete headers');
    const { name, fileName } = dispositionOf(body.toString('utf8', headersStart, headersEnd));
    const contentStart = headersEnd + HEADER_END.length;
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), contentStart);
    if (next < 0) throw malformed('the body is cut off (no closing boundary)');
    const content = body.subarray(contentStart, next);
    if (fileName !== null) result.files[name] = { fileName, bytes: Buffer.from(content) };
    else result.fields[name] = content.toString('utf8');
    position = next + CRLF.length;
  }
}
