/**
 * Password hashing with scrypt from node:crypto at the OWASP parameters (N=2^17, r=8, p=1: 128 MiB
 * per hash). Why scrypt rather than argon2id: it is memory-hard, recommended by OWASP at these
 * parameters, and built into Node 20, so no native module has to compile on a laptop or a locked-down
 * server. The parameters are stored in each hash, so they can be raised later without breaking logins.
 *
 * Stored form: scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Problem } from '../shared/problem.js';
import { passwordProblem } from './passwordPolicy.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const OWASP_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) is below the OWASP setting.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Runs on libuv's thread pool, so the event loop keeps serving other requests meanwhile. */
export async function hashPassword(password: string, params: ScryptParams = OWASP_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return undefined;
  return { params: { N: Number(n), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

/** True when `stored` is a hash a password can match (a placeholder account's '!' is not). */
export const isUsableHash = (stored: string | null | undefined): stored is string => stored !== null && stored !== undefined && parse(stored) !== undefined;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when a hash was made with weaker parameters than today's: rehash it at the next login. */
export function needsRehash(stored: string, params: ScryptParams = OWASP_SCRYPT): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.N < params.N || parsed.params.r < params.r || parsed.params.p < params.p;
}

/**
 * A hash of a random password at today's parameters: compared against when the e-mail is unknown or the
 * account has no usable password (a placeholder made by a bundle import), so that the time a sign-in
 * takes does not reveal which e-mails exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** A random password for demo accounts: readable, about 80 bits. */
export function randomPassword(): string {
  return randomBytes(10).toString('base64url').replace(/[-_]/g, 'x');
}

/**
 * The one way to turn a password a person chose into a stored hash: refuses it (400, field `password`)
 * unless it passes the policy (passwordPolicy.ts). API, admin pages and the CLI all come through here.
 */
export async function hashNewPassword(password: string, userInputs: readonly string[] = [], params: ScryptParams = OWASP_SCRYPT): Promise<string> {
  const problem = passwordProblem(password, userInputs);
  if (problem) throw Problem.validation(`The password ${problem}.`, [{ path: 'password', message: problem }]);
  return hashPassword(password, params);
}
