/**
 * The one Handlebars instance for web pages (reports keep their own). Templates are compiled once at
 * start from templates/{layouts,partials,pages}; every page renders inside layouts/main.hbs.
 * Output is escaped by Handlebars ({{ }}); the only triple-stash is the layout's {{{body}}}, which is
 * the already-escaped page.
 */
import type { Translate } from './translate.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { assetUrl } from './assets.js';
import type { Language } from '../../i18n/i18n.js';

export const TEMPLATES_DIR = join(import.meta.dirname, '..', '..', '..', 'templates');

/** What every page template sees at its root, besides `page` (the page's own view model). */
export interface PageFrame {
  lang: Language;
  t: Translate;
  title: string;
  csrfToken: string | null;
  user: { id: number; name: string; email: string; role: string; isAdmin: boolean; canManage: boolean } | null;
  /** The path and query of this request, for the language switch to come back to. */
  returnTo: string;
  /** Body class naming the page, for page-specific styles and client behaviour. */
  pageId: string;
  /** Demo data is shown on this page: the layout carries the marking. */
  demo: boolean;
}

type Template = Handlebars.TemplateDelegate;

function hbsFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...hbsFiles(path));
    else if (entry.endsWith('.hbs')) files.push(path);
  }
  return files;
}

const nameOf = (dir: string, file: string): string => relative(dir, file).slice(0, -'.hbs'.length).split(sep).join('/');

interface RootData {
  lang: Language;
  t: Translate;
}

function rootOf(options: Handlebars.HelperOptions): RootData {
  return (options.data as { root: RootData }).root;
}

// Building an Intl formatter costs far more than using one: one per language and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(language: Language, style: 'date' | 'dateTime'): Intl.DateTimeFormat {
  const key = `${language}/${style}`;
  let known = formatters.get(key);
  if (!known) {
    known = new Intl.DateTimeFormat(language, style === 'date' ? { dateStyle: 'long', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    formatters.set(key, known);
  }
  return known;
}

function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('t', function t(key: string, options: Handlebars.HelperOptions) {
    return rootOf(options).t(key, options.hash as Record<string, unknown>);
  });
  hbs.registerHelper('asset', (file: string) => assetUrl(file));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  // Like JavaScript's ||: the first truthy value itself (a name, not `true`), else the last one.
  hbs.registerHelper('or', (...args: unknown[]) => {
    const values = args.slice(0, -1);
    return values.find(Boolean) ?? values[values.length - 1];
  });
  hbs.registerHelper('gt', (a: number, b: number) => a > b);
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
  hbs.registerHelper('encode', (value: unknown) => encodeURIComponent(String(value ?? '')));
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
  hbs.registerHelper('percent', (value: unknown) => (typeof value === 'number' ? `${Math.round(value * 100)} %` : '—'));
  hbs.registerHelper('decimal', (value: unknown) => (typeof value === 'number' ? (Math.round(value * 10) / 10).toString() : '—'));
  hbs.registerHelper('join', (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : ''));
  hbs.registerHelper('dateTime', function dateTime(iso: unknown, options: Handlebars.HelperOptions) {
    if (typeof iso !== 'string' || iso === '') return '—';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return `${formatter(rootOf(options).lang, 'dateTime').format(date)} UTC`;
  });
  hbs.registerHelper('date', function date(iso: unknown, options: Handlebars.HelperOptions) {
    if (typeof iso !== 'string' || iso === '') return '—';
    const parsed = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
    if (Number.isNaN(parsed.getTime())) return iso;
    return formatter(rootOf(options).lang, 'date').format(parsed);
  });
}

export interface PageRenderer {
  render(page: string, frame: PageFrame, data: object): string;
  has(page: string): boolean;
}

export function createPageRenderer(dir = TEMPLATES_DIR): PageRenderer {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const compile = (file: string): Template => hbs.compile(readFileSync(file, 'utf8'), { preventIndent: true });
  for (const file of hbsFiles(join(dir, 'partials'))) hbs.registerPartial(nameOf(join(dir, 'partials'), file), compile(file));
  const layout = compile(join(dir, 'layouts', 'main.hbs'));
  const pages = new Map(hbsFiles(join(dir, 'pages')).map((file) => [nameOf(join(dir, 'pages'), file), compile(file)]));

  return {
    has: (page) => pages.has(page),
    render(page, frame, data) {
      const template = pages.get(page);
      if (!template) throw new Error(`no page template "${page}" in ${join(dir, 'pages')}`);
      const context = { ...frame, page: data };
      const body = template(context);
      return layout({ ...context, body });
    },
  };
}
