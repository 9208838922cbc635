/**
 * What ENA accepts as a password: 12 to 1,024 characters, not blank, and not easy to guess according to
 * zxcvbn-ts (a maintained strength estimator with the common-password, name and keyboard-pattern lists of
 * @zxcvbn-ts/language-common): "password1234", twelve spaces, "qwertyuiop12" or the user's own e-mail are
 * refused; a passphrase of several unrelated words passes. Pure: no I/O.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
/** zxcvbn's scale: 3 = "safely unguessable: moderate protection from offline slow-hash scenario". */
export const MIN_PASSWORD_SCORE = 3;
/** zxcvbn's matching grows with length; a long passphrase is judged by its first 100 characters. */
const CHECKED_LENGTH = 100;

let estimator: ZxcvbnFactory | undefined;
const strength = (): ZxcvbnFactory => (estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }));

const WARNINGS: Record<string, string> = {
  simpleRepeat: 'repeats the same characters',
  extendedRepeat: 'repeats the same characters',
  sequences: 'is a simple sequence such as abcd or 1234',
  keyPattern: 'follows a keyboard pattern',
  straightRow: 'follows a keyboard row',
  commonPasswords: 'is a commonly used password',
  similarToCommon: 'is a commonly used password with small changes',
  topTen: 'is one of the most used passwords',
  topHundred: 'is a very commonly used password',
  userInputs: 'contains the e-mail address or name of the account',
  dates: 'is mostly a date',
  recentYears: 'is mostly a year',
};

/** Why `password` is refused, or undefined. `userInputs` (e-mail, name) must not make up the password. */
export function passwordProblem(password: string, userInputs: readonly string[] = []): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long (a passphrase of several words is easiest to remember)`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH.toLocaleString('en')} characters long`;
  if (password.trim() === '') return 'must not be only spaces';
  const bare = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const password0 = bare(password);
  const personal = userInputs.flatMap((input) => [bare(input.split('@')[0] ?? ''), bare(input)]).filter((part) => part.length >= 4);
  // zxcvbn scores "anna.petrova-1" for Anna Petrova as fair; a password that is mostly one's own name is not.
  if (personal.some((part) => password0.includes(part) && part.length * 2 >= password0.length)) return `${WARNINGS.userInputs}: choose a passphrase of three or four unrelated words, or a longer password`;
  const inputs = userInputs.flatMap((input) => [input, ...input.toLowerCase().split(/[@.\s_-]+/)]).filter((part) => part.length >= 3);
  const result = strength().check(password.slice(0, CHECKED_LENGTH), ['ena', 'osce', ...inputs]);
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) ?? 'is too easy to guess';
  return `${why}: choose a passphrase of three or four unrelated words, or a longer password`;
}
