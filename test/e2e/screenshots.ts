/**
 * Where the browser tests write the README's screenshots. `npm test` must leave the git tree as it
 * found it, so by default they go to the ignored test/.tmp/screenshots; with ENA_UPDATE_SCREENSHOTS=1
 * the same run refreshes docs/images/ (then commit the images on purpose).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export const SCREENSHOTS = process.env.ENA_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'images') : join(ROOT, 'test', '.tmp', 'screenshots');

/** The path of one screenshot, its folder created. */
export async function screenshotPath(name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}
