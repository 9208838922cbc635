/**
 * Report fonts: Noto Sans and Noto Serif from the @fontsource npm packages, embedded as data: URLs so
 * a PDF never depends on the fonts of the machine that renders it. The families get ENA's own names,
 * so a locally installed "Noto Sans" can never be picked instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

type Subset = 'latin' | 'latin-ext' | 'cyrillic' | 'cyrillic-ext' | 'greek';
/** Latin and Cyrillic cover English and Russian. */
const CORE: readonly Subset[] = ['latin', 'cyrillic'];
/** The extended ranges (Kazakh, Turkmen, Uzbek letters in names) are large, so only the body text faces carry them; the serif headings fall back to the sans for those letters. */
const EXTENDED: readonly Subset[] = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext'];

interface FaceSpec {
  family: 'ENA Sans' | 'ENA Serif';
  pkg: '@fontsource/noto-sans' | '@fontsource/noto-serif';
  /** The fontsource stylesheet, e.g. 400.css or 400-italic.css. */
  sheet: string;
  subsets: readonly Subset[];
}

const BODY_FACES: readonly FaceSpec[] = [
  { family: 'ENA Sans', pkg: '@fontsource/noto-sans', sheet: '400.css', subsets: EXTENDED },
  { family: 'ENA Sans', pkg: '@fontsource/noto-sans', sheet: '700.css', subsets: EXTENDED },
  // Italic and bold italic exist as real faces: a synthesised bold would be drawn as a Type 3 font.
  { family: 'ENA Sans', pkg: '@fontsource/noto-sans', sheet: '400-italic.css', subsets: CORE },
  { family: 'ENA Sans', pkg: '@fontsource/noto-sans', sheet: '700-italic.css', subsets: CORE },
  // Greek for the Σ of the formulas in the methodology.
  { family: 'ENA Serif', pkg: '@fontsource/noto-serif', sheet: '400.css', subsets: [...CORE, 'greek'] },
  { family: 'ENA Serif', pkg: '@fontsource/noto-serif', sheet: '400-italic.css', subsets: [...CORE, 'greek'] },
  { family: 'ENA Serif', pkg: '@fontsource/noto-serif', sheet: '700.css', subsets: CORE },
];

const FACE = /\/\* ([a-z0-9-]+) \*\/\s*@font-face\s*{([^}]*)}/g;

/** One @font-face rule and a letter it covers. */
interface Face extends FontSample {
  css: string;
}

/** The first letter a unicode-range covers, e.g. 'A' for the Latin face, 'Ѐ' for the Cyrillic one. */
function firstLetter(range: string): string {
  for (const part of range.split(',')) {
    const [from = '', to = from] = part.trim().replace(/^U\+/i, '').split('-');
    for (let code = parseInt(from, 16); code <= parseInt(to, 16); code++) {
      const char = String.fromCodePoint(code);
      if (/\p{L}/u.test(char)) return char;
    }
  }
  throw new Error(`The font range ${range} covers no letter`);
}

function facesOf(spec: FaceSpec): Face[] {
  const sheetPath = require.resolve(`${spec.pkg}/${spec.sheet}`);
  const css = readFileSync(sheetPath, 'utf8');
  const faces: Face[] = [];
  for (const [, name = '', body = ''] of css.matchAll(FACE)) {
    const subset = spec.subsets.find((candidate) => name.endsWith(`-${candidate}-${name.split('-').slice(-2).join('-')}`));
    if (!subset) continue;
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(body)?.[1];
    const style = /font-style:\s*(\w+)/.exec(body)?.[1] ?? 'normal';
    const weight = /font-weight:\s*(\d+)/.exec(body)?.[1] ?? '400';
    const range = /unicode-range:\s*([^;]+);/.exec(body)?.[1];
    if (!file || !range) continue;
    const data = readFileSync(join(dirname(sheetPath), 'files', file)).toString('base64');
    // font-display: block — print must wait for the font rather than fall back to a system one.
    faces.push({
      css: `@font-face{font-family:'${spec.family}';font-style:${style};font-weight:${weight};font-display:block;src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${range};}`,
      family: spec.family, style, weight, sample: firstLetter(range),
    });
  }
  if (faces.length === 0) throw new Error(`No Latin or Cyrillic font faces found in ${sheetPath}: is ${spec.pkg} installed?`);
  return faces;
}

let faces: Face[] | undefined;
const allFaces = (): Face[] => (faces ??= BODY_FACES.flatMap(facesOf));

/** @font-face rules for the report body (read once, then cached). */
export function reportFontFaces(): string {
  return allFaces().map((face) => face.css).join('\n');
}

/** A letter of one face: what a print-only document shows on screen (see reportFontSamples). */
export interface FontSample {
  family: string;
  style: string;
  weight: string;
  sample: string;
}

/**
 * One letter in each face. A print-only report shows these on screen while it loads, so that every
 * face is decoded before the page's load event and printing never meets a face late (a face that
 * arrives during printing makes Chromium lay the whole document out again).
 */
export function reportFontSamples(): FontSample[] {
  return allFaces().map(({ family, style, weight, sample }) => ({ family, style, weight, sample }));
}
