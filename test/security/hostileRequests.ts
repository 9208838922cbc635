/**
 * A seeded generator of hostile requests over every route of the real Express app. Routes are read
 * from the router stack, so a route added later is fuzzed without touching this file.
 */
import type { Express } from 'express';
import type { RawRequest } from './http.js';

export interface RouteInfo {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
}

/** Every (method, path) the app routes, mounted prefixes included (Express 5: app.router.stack). */
export function listRoutes(app: Express): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) for (const method of Object.keys(layer.route.methods)) if (method !== '_all') routes.push({ method: method.toUpperCase(), path: prefix + path });
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && !layer.slash && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const seen = new Set<string>();
  return routes.filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Identity {
  name: string;
  cookie?: string;
  csrfToken?: string;
}

export interface FuzzContext {
  identities: Identity[];
  /** Ids and codes that exist, so some hostile requests reach deep into handlers. */
  realIds: string[];
  realCodes: string[];
  questionIds: string[];
}

const ABSURD_SEGMENTS = [
  '0', '-1', '1.5', '1e3', '99999999999999999999999', '0x10', 'NaN', 'Infinity', 'null', 'undefined', '%ff%fe', '%', '%E0%A4%A', '%00',
  '..%2f..%2fetc%2fpasswd', '__proto__', 'constructor', 'prototype', "1'%20OR%20'1'='1", '1;DROP%20TABLE%20users', '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  'a'.repeat(3000), '%D0%B6', 'kz', 'ZZ', '%20', '1%0d%0aSet-Cookie:x=1', '$ne', '{}', '[]',
];

const FIELD_NAMES = [
  'email', 'password', 'name', 'role', 'language', 'countries', 'disabled', 'code', 'title', 'countryCode', 'startsOn', 'endsOn', 'team', 'institutionsMet',
  'status', 'questionnaires', 'missionId', 'questionnaireId', 'value', 'note', 'source', 'evidence', 'baseRevision', 'opId', 'state', 'body', 'target',
  'choice', 'from', 'to', 'next', 'returnTo', '_csrf', 'answer', 'rows', 'lang',
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** Hostile values; deliberately never a valid report language, so no fuzz request starts a PDF render. */
function hostileValue(random: () => number, depth = 0): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  switch (Math.floor(random() * 16)) {
    case 0: return null;
    case 1: return pick([true, false]);
    case 2: return pick([0, -1, 1, 2, 3, 4, 5, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 1e-300]);
    case 3: return pick(['', ' ', 'KZ', 'kz', 'admin', 'expert', 'open', 'approved', 'keep', 'answer', 'unknown', 'not_applicable', '2025-06-11', '2025-02-30', '0000-00-00', 'x@y', 'a@b.c']);
    case 4: return 'x'.repeat(Math.floor(random() * 20_000));
    case 5: return pick(["' OR 1=1 --", '"; DROP TABLE users; --', '<script>alert(1)</script>', '{{constructor.constructor("x")()}}', '=cmd|/c calc!A1', '../../etc/passwd', '\u0000', '\ud800', '\u202e', 'ж'.repeat(400)]);
    case 6: return depth > 3 ? [] : Array.from({ length: Math.floor(random() * 5) }, () => hostileValue(random, depth + 1));
    case 7: return depth > 3 ? {} : hostileObject(random, depth + 1);
    case 8: return Array.from({ length: 1000 + Math.floor(random() * 3000) }, (_, i) => i);
    case 9: return { __proto__: { isAdmin: true }, role: 'admin' };
    case 10: return pick(['NaN', 'Infinity', '-1', '1e999', '0x1f', '١٢٣']);
    case 11: return pick([[], {}, [[]], [{}]]);
    case 12: return { rows: { [pick(PROTO_KEYS)]: { status: pick(['full', 'x', 1]) } } };
    case 13: return pick(['en', 'ru']);
    default: return Math.floor(random() * 10);
  }
}

function hostileObject(random: () => number, depth = 0): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const key = random() < 0.15 ? PROTO_KEYS[Math.floor(random() * PROTO_KEYS.length)] as string : FIELD_NAMES[Math.floor(random() * FIELD_NAMES.length)] as string;
    // defineProperty so that "__proto__" becomes an own key, as JSON.parse would make it.
    Object.defineProperty(object, key, { value: hostileValue(random, depth), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const deepJson = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

function hostileBody(random: () => number): { body: Buffer | string | undefined; contentType: string | undefined; extraHeaders: Record<string, string> } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const json = 'application/json';
  const form = 'application/x-www-form-urlencoded';
  switch (Math.floor(random() * 16)) {
    case 0: return { body: undefined, contentType: undefined, extraHeaders: {} };
    case 1: return { body: '', contentType: pick([json, form, undefined]), extraHeaders: {} };
    case 2: return { body: '{"title": ', contentType: json, extraHeaders: {} };
    case 3: return { body: JSON.stringify(hostileObject(random)), contentType: pick([json, `${json}; charset=latin1`, `${json}; charset=utf-16`, 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', undefined]), extraHeaders: {} };
    case 4: return { body: JSON.stringify({ title: 'x'.repeat(300_000) }), contentType: json, extraHeaders: {} };
    case 5: return { body: deepJson(20 + Math.floor(random() * 5_000)), contentType: json, extraHeaders: {} };
    case 6: return { body: Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), contentType: json, extraHeaders: {} };
    case 7: return { body: Array.from({ length: 1_200 }, (_, i) => `f${i}=${i}`).join('&'), contentType: form, extraHeaders: {} };
    case 8: return { body: 'a[b][c]=1&__proto__[x]=1&constructor[prototype][y]=2&email=%ff&password=%', contentType: form, extraHeaders: {} };
    case 9: return { body: '{}', contentType: json, extraHeaders: { 'content-encoding': pick(['bogus', 'gzip', 'deflate', 'br', 'identity, gzip']) } };
    case 10: return { body: JSON.stringify(hostileValue(random)), contentType: json, extraHeaders: {} };
    case 11: return { body: Buffer.from(Array.from({ length: 200 + Math.floor(random() * 4000) }, () => Math.floor(random() * 256))), contentType: pick(['application/octet-stream', json, form, undefined]), extraHeaders: {} };
    case 12: return { body: new URLSearchParams(Object.entries(hostileObject(random)).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])).toString(), contentType: form, extraHeaders: {} };
    case 13: return { body: '[' + '1,'.repeat(60_000) + '1]', contentType: json, extraHeaders: {} };
    case 14: return { body: '{"a":1}', contentType: json, extraHeaders: { 'transfer-encoding': 'chunked' } };
    default: return { body: '"just a string"', contentType: json, extraHeaders: {} };
  }
}

const QUERIES = [
  '', '?mission=abc', '?mission=-1&country=zz', '?country[]=KZ&country[]=KG', '?limit=99999999&before=zzz', '?limit=-5', '?entityType=%00&entityId=__proto__',
  '?format=exe&lang=xx&separator=|', '?status[$ne]=open', '?lang=ru&lang=en', '?next=//evil.example/x', '?returnTo=https://evil.example', '?language=xx',
  '?__proto__[admin]=1', '?q=' + 'x'.repeat(4000), '?mission=1&country=KZ', '?format=csv&lang=ru', '?language=ru&returnTo=/',
];

/** One hostile request against `route` (or a method it does not have). */
export function hostileRequest(random: () => number, routes: readonly RouteInfo[], context: FuzzContext): RawRequest {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const route = pick(routes);
  const segment = (name: string): string => {
    const roll = random();
    if (roll < 0.35) return /code|country/i.test(name) ? pick(context.realCodes) : /question|section/i.test(name) ? pick(context.questionIds) : pick(context.realIds);
    return pick(ABSURD_SEGMENTS);
  };
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => segment(name)).replace(/\*\w*/g, () => pick(ABSURD_SEGMENTS));
  const method = random() < 0.85 ? route.method : pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
  const identity = pick(context.identities);
  const headers: Record<string, string> = {};
  if (identity.cookie) headers.cookie = identity.cookie;
  const csrfRoll = random();
  if (identity.csrfToken && csrfRoll < 0.7) headers['x-csrf-token'] = identity.csrfToken;
  else if (csrfRoll < 0.8) headers['x-csrf-token'] = pick(['', 'x', 'a'.repeat(5000), '%ff']);
  if (random() < 0.3) headers.accept = 'text/html';
  if (random() < 0.05) headers['sec-fetch-site'] = 'cross-site';
  if (random() < 0.03) headers.cookie = pick(['ena_session=%ff%fe', 'ena_session=' + 'a'.repeat(3000), 'ena_session=;;;=', '__proto__=1; ena_session=x']);
  const { body, contentType, extraHeaders } = method === 'GET' && random() < 0.8 ? { body: undefined, contentType: undefined, extraHeaders: {} } : hostileBody(random);
  if (contentType) headers['content-type'] = contentType;
  Object.assign(headers, extraHeaders);
  return { method, path: path + pick(QUERIES), headers, body };
}

/** Text that must never reach a client: stack frames, SQL, driver errors. */
// SQL is matched by its select list (`select *`, `select "id"`, …), so page prose such as "Select the countries
// from …" is not taken for a leak.
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [\w.<>]+ \(.*:\d+:\d+\)/, /\bat (file|node):/, /node_modules/, /SQLITE_[A-Z]/, /\bsqlite\b/i, /\bselect\s+(?:\*|distinct\b|count\(|\"\w+\")[^<>]*?\bfrom\b/i, /\binsert into\b/i,
  /\bconstraint failed\b/i, /\bTypeError\b/, /\bReferenceError\b/, /\bRangeError\b/, /\bSyntaxError\b/, /\/src\/[\w/]+\.ts/,
];
