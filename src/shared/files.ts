/**
 * Writing a file so that it is either complete under its final name or not there at all: write
 * `<name>.part`, then rename. On any failure (a full disk above all) the partial file is removed and a
 * full disk becomes the 507 Problem that tells the user what to do.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { isStorageFull, storageFullProblem } from './problem.js';

export async function writeFileAtomically(file: string, bytes: Uint8Array, what = 'The file'): Promise<void> {
  const partial = `${file}.part`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw isStorageFull(error) ? storageFullProblem(what) : error;
  }
}

/** Removes a file written for a record that then could not be stored, so no orphan stays behind. */
export async function removeQuietly(file: string): Promise<void> {
  await rm(file, { force: true }).catch(() => undefined);
}
