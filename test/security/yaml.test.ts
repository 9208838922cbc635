/** A hostile questionnaire (issue 14 row 6): an alias bomb or an oversized file is refused with the file named, by `ena validate` and at start. */
import { execFile } from 'node:child_process';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { Problem } from '../../src/shared/problem.js';
import { startServer } from '../../src/web/server.js';
import { tempDbFile } from '../api/helpers.js';
import { loadEdited, SAMPLE } from '../questionnaire/helpers.js';

const run = promisify(execFile);
const ENA = join(import.meta.dirname, '..', '..', 'bin', 'ena.js');

/** "Billion laughs": nine levels of anchors, each a list of nine aliases to the one before: 9^9 strings. */
function aliasBomb(): string {
  const lines = ['a0: &a0 "lol"'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

describe('hostile YAML', () => {
  it('refuses an alias bomb quickly, naming the file; ena validate exits 1 with the same line', async () => {
    const started = performance.now();
    const { result, dir } = await loadEdited(SAMPLE, () => aliasBomb());
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ file: expect.stringContaining(SAMPLE), path: '(aliases)', message: expect.stringMatching(/aliases \(\*name\) expand too much/) });
    const cli = await run(process.execPath, [ENA, 'validate', dir]).then(() => ({ code: 0, stderr: '', stdout: '' }), (error: { code: number; stderr: string; stdout: string }) => error);
    expect(cli.code).toBe(1);
    expect(`${cli.stdout}${cli.stderr}`).toMatch(new RegExp(`${SAMPLE}:1:1 +\\(aliases\\): its aliases`));
    expect(`${cli.stdout}${cli.stderr}`).not.toMatch(/ReferenceError|\n\s+at /);
  }, 60_000);

  it('ena serve refuses to start on an alias bomb with the file named, and on a file over 5 MB', async () => {
    const { dir } = await loadEdited(SAMPLE, () => aliasBomb());
    const config = loadConfig({ PORT: '0', ENA_QUESTIONNAIRES: dir, ENA_LOG_LEVEL: 'silent', ENA_DB: await tempDbFile() });
    const error = await startServer(config).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Problem);
    expect((error as Problem).message).toMatch(new RegExp(`${SAMPLE}:1:1 +\\(aliases\\)`));

    const big = await loadEdited(SAMPLE, (t) => t);
    await writeFile(join(big.dir, 'huge.yaml'), '');
    await truncate(join(big.dir, 'huge.yaml'), 6_000_000);
    const bigConfig = loadConfig({ PORT: '0', ENA_QUESTIONNAIRES: big.dir, ENA_LOG_LEVEL: 'silent', ENA_DB: await tempDbFile() });
    const bigError = await startServer(bigConfig).then(() => undefined, (e: unknown) => e);
    expect((bigError as Problem).message).toMatch(/huge\.yaml:1:1 +\(file\): is 6\.0 MB; ENA reads YAML files of at most 5 MB/);
  }, 60_000);
});
