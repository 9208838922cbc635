/** Worker-thread entry: checks and parses a bundle file (checksum, signature, JSON, zod) off the event loop. */
import { answerMainThread } from '../../shared/worker.js';
import { decodeBundle, type DecodedBundle } from './format.js';

await answerMainThread<{ file: Uint8Array; key: string | undefined }, DecodedBundle>(({ file, key }) => decodeBundle(Buffer.from(file.buffer, file.byteOffset, file.byteLength), key));
