/**
 * The project's folders, computed from this module's place. The compiled server (dist/) sits beside
 * src/, one level below the root, so the same expression is right whether src/ or dist/ runs; files
 * that are not compiled (locales, CSS, browser sources) are always read from src/.
 */
import { join } from 'node:path';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
export const SOURCE_DIR = join(PROJECT_ROOT, 'src');
