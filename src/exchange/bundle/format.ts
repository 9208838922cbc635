/**
 * The bundle file: one header line of JSON, a newline, then the body (the mission as JSON, on one line).
 *
 *   {"format":"ena-mission-bundle","formatVersion":1,"bodyBytes":48213,"sha256":"…","hmacSha256":null,"keyId":null}
 *   {"format":"ena-mission-bundle","formatVersion":1,"exportedAt":"…","country":{…},"mission":{…},…}
 *
 * The body keeps every answer value's keys in their stored order (an alignment table's rows in the order
 * the expert filled them), so an import stores byte for byte what the export read. No canonical form is
 * needed: the checksum covers the bytes as written.
 *
 * - `sha256` is over the body bytes exactly as written: any changed, missing or extra byte is detected,
 *   and `bodyBytes` tells a cut-off copy ("incomplete") from an altered one ("damaged").
 * - `hmacSha256` (when ENA_BUNDLE_KEY is set on the exporting side) is HMAC-SHA256 over the same bytes
 *   with the shared key; `keyId` is the start of SHA-256(key), which names the key without revealing it.
 *   A checksum only proves the file is intact (anyone can recompute it); the signature proves it comes
 *   from an installation that holds the key. A server with a key refuses unsigned bundles.
 * - The header itself must be byte-for-byte what ENA writes, so a change there is refused too.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Problem } from '../../shared/problem.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, bundleBodySchema, type MissionBundleBody } from './model.js';

const NEWLINE = 0x0a;
/** The header is short; a first line longer than this is not a bundle header. */
const MAX_HEADER_BYTES = 1024;

const headerSchema = z.strictObject({
  format: z.string(),
  formatVersion: z.number().int(),
  bodyBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  hmacSha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
});
type BundleHeader = z.infer<typeof headerSchema>;

/** Fixed key order: the header is compared byte for byte with what ENA would write. */
const writeHeader = (header: BundleHeader): string => JSON.stringify({
  format: header.format, formatVersion: header.formatVersion, bodyBytes: header.bodyBytes, sha256: header.sha256, hmacSha256: header.hmacSha256, keyId: header.keyId,
});

export const keyIdOf = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 16);
const hmac = (key: string, body: Buffer): string => createHmac('sha256', key).update(body).digest('hex');
const sha256 = (body: Buffer): string => createHash('sha256').update(body).digest('hex');

export function encodeBundle(body: MissionBundleBody, key?: string): Buffer {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  const header = writeHeader({
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    bodyBytes: bytes.length,
    sha256: sha256(bytes),
    hmacSha256: key ? hmac(key, bytes) : null,
    keyId: key ? keyIdOf(key) : null,
  });
  return Buffer.concat([Buffer.from(header, 'utf8'), Buffer.from([NEWLINE]), bytes]);
}

export type SignatureCheck =
  /** Signed, and the signature was checked with this installation's key. */
  | 'verified'
  /** Signed, but this installation has no key to check it with: only the checksum was checked. */
  | 'not_checked'
  /** Not signed (and this installation does not require signatures). */
  | 'unsigned';

export interface DecodedBundle {
  body: MissionBundleBody;
  sha256: string;
  signature: SignatureCheck;
}

const refused = (message: string, detail: string): Problem =>
  Problem.validation(`${message} Nothing was imported.`, [{ path: 'bundle', message: detail }]);

function readHeader(file: Buffer): { header: BundleHeader; body: Buffer } {
  if (file.length === 0) throw refused('The file is empty: it is not an ENA mission bundle.', 'empty file');
  const end = file.subarray(0, MAX_HEADER_BYTES + 1).indexOf(NEWLINE);
  const line = file.subarray(0, end < 0 ? Math.min(file.length, MAX_HEADER_BYTES) : end).toString('utf8');
  const looksLikeBundle = line.startsWith(`{"format":"${BUNDLE_FORMAT}"`);
  let parsed: unknown;
  try {
    parsed = end < 0 ? undefined : JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  const header = headerSchema.safeParse(parsed);
  if (!header.success || header.data.format !== BUNDLE_FORMAT) {
    throw looksLikeBundle
      ? refused('The bundle is damaged: its first line (the header with the checksum) cannot be read. Export the mission again, or copy the file again from the original.', 'damaged header')
      : refused(`This file is not an ENA mission bundle (it does not start with an ENA bundle header). Choose a file written by "ena bundle export" or the mission's "Export bundle" download.`, 'not a bundle');
  }
  if (header.data.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw refused(header.data.formatVersion > BUNDLE_FORMAT_VERSION
      ? `The bundle was written by a newer ENA (bundle format ${header.data.formatVersion}; this ENA reads format ${BUNDLE_FORMAT_VERSION}). Update ENA here, then import it again.`
      : `The bundle uses format ${header.data.formatVersion}, which this ENA does not read (it reads format ${BUNDLE_FORMAT_VERSION}).`, 'unsupported format version');
  }
  if (writeHeader(header.data) !== line) {
    throw refused('The bundle is damaged or was altered: its header is not as ENA wrote it. Export the mission again, or copy the file again from the original.', 'altered header');
  }
  return { header: header.data, body: file.subarray(end + 1) };
}

/**
 * Checks a bundle file and returns its validated body, or throws a Problem that says what is wrong.
 * `key` is this installation's ENA_BUNDLE_KEY: when set, only bundles signed with it are accepted.
 */
export function decodeBundle(file: Buffer, key?: string): DecodedBundle {
  const { header, body } = readHeader(file);
  if (body.length < header.bodyBytes) {
    throw refused(`The bundle is incomplete: it should hold ${header.bodyBytes} bytes of data but holds ${body.length}. It was probably cut off while being copied or downloaded: copy it again from the original.`, 'truncated');
  }
  if (body.length > header.bodyBytes) {
    throw refused(`The bundle is damaged: it has ${body.length - header.bodyBytes} unexpected byte(s) after its end. Copy it again from the original; do not open and save it in an editor.`, 'extra bytes');
  }
  const actual = sha256(body);
  if (actual !== header.sha256) {
    throw refused('The bundle is damaged or was altered: its checksum does not match its content. Export the mission again, or copy the file again from the original.', 'checksum mismatch');
  }
  let signature: SignatureCheck;
  if (key) {
    if (header.hmacSha256 === null || header.keyId === null) {
      throw refused('The bundle is not signed, and this ENA accepts only signed bundles (ENA_BUNDLE_KEY is set). Export it from an ENA that has the same ENA_BUNDLE_KEY.', 'unsigned');
    }
    if (header.keyId !== keyIdOf(key)) {
      throw refused(`The bundle was signed with a different key (key ${header.keyId}; this ENA has key ${keyIdOf(key)}). Set the same ENA_BUNDLE_KEY on both installations and export it again.`, 'different key');
    }
    const expected = Buffer.from(hmac(key, body), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(header.hmacSha256, 'hex'))) {
      throw refused('The bundle was altered: its signature does not match its content.', 'signature mismatch');
    }
    signature = 'verified';
  } else {
    signature = header.hmacSha256 === null ? 'unsigned' : 'not_checked';
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw refused('The bundle content is not valid JSON although its checksum matches: it was not written by ENA.', 'invalid JSON');
  }
  const parsed = bundleBodySchema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 20).map((issue) => ({ path: `bundle.${issue.path.join('.')}`, message: issue.message }));
    throw Problem.validation(`The bundle content does not fit the bundle format (${details.length} problem(s), first at ${details[0]?.path ?? 'bundle'}: ${details[0]?.message ?? ''}). Nothing was imported.`, details);
  }
  return { body: parsed.data, sha256: actual, signature };
}
