/**
 * Loads a questionnaire folder (or chosen files) with its catalogues and reports every problem of every
 * file in one pass. Nothing here throws for bad content: callers decide whether issues are fatal.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { buildQuestionnaire, type Catalogue, type Questionnaire } from './model.js';
import { glossaryFileSchema, questionnaireSchema, referencesFileSchema, scalesFileSchema, type GlossaryTerm, type Reference, type Scale } from './schema.js';
import { checkGlossary, crossCheckQuestionnaire } from './crossCheck.js';
import { displayName, locate, readYaml, type PathIssue, type ValidationIssue, type YamlSource } from './yamlFile.js';
import { checkQuestionnaireSet } from './setCheck.js';

export const CATALOGUE_FILES = { references: 'references.yaml', scales: 'scales.yaml', glossary: 'glossary.yaml' } as const;
const catalogueNames = new Set<string>(Object.values(CATALOGUE_FILES));

export interface LoadResult {
  questionnaires: Questionnaire[];
  catalogue: Catalogue;
  issues: ValidationIssue[];
  filesChecked: number;
}

const isYaml = (file: string): boolean => ['.yaml', '.yml'].includes(extname(file));

export type CatalogueFile = keyof typeof CATALOGUE_FILES;

/**
 * A catalogue file that is not there usually means a questionnaire validated away from its folder: say
 * where ENA looked and what to do, once, instead of reporting every reference as unknown.
 */
function catalogueIssues(dir: string, name: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => (issue.path === '(file)' && issue.message.endsWith('(file not found)')
    ? { ...issue, message: `${issue.message}: the catalogue (${Object.values(CATALOGUE_FILES).join(', ')}) is read from the folder of the first path given, ${displayName(dir)}; copy ${name} there from your questionnaires folder. Nothing was checked against it.` }
    : issue));
}

export async function loadCatalogue(dir: string): Promise<{ catalogue: Catalogue; issues: ValidationIssue[]; unavailable: Set<CatalogueFile> }> {
  const issues: ValidationIssue[] = [];
  const references = new Map<string, Reference>();
  const scales = new Map<string, Scale>();
  let glossary: GlossaryTerm[] = [];

  const refs = await readYaml(join(dir, CATALOGUE_FILES.references), referencesFileSchema);
  if (refs.ok) {
    const dupes: PathIssue[] = [];
    refs.value.references.forEach((ref, i) => {
      if (references.has(ref.id)) dupes.push({ path: ['references', i, 'id'], message: `duplicate reference id "${ref.id}": each id once` });
      references.set(ref.id, ref);
    });
    issues.push(...locate(refs.source, dupes));
  } else issues.push(...catalogueIssues(dir, CATALOGUE_FILES.references, refs.issues));

  const scaleFile = await readYaml(join(dir, CATALOGUE_FILES.scales), scalesFileSchema);
  if (scaleFile.ok) {
    const problems: PathIssue[] = [];
    scaleFile.value.scales.forEach((scale, i) => {
      if (scales.has(scale.id)) problems.push({ path: ['scales', i, 'id'], message: `duplicate scale id "${scale.id}"` });
      scale.levels.forEach((entry, j) => {
        if (entry.level !== j) problems.push({ path: ['scales', i, 'levels', j, 'level'], message: `levels must run 0, 1, 2… in order: expected ${j}, found ${entry.level}` });
      });
      scales.set(scale.id, scale);
    });
    issues.push(...locate(scaleFile.source, problems));
  } else issues.push(...catalogueIssues(dir, CATALOGUE_FILES.scales, scaleFile.issues));

  const glossaryFile = await readYaml(join(dir, CATALOGUE_FILES.glossary), glossaryFileSchema);
  if (glossaryFile.ok) {
    glossary = glossaryFile.value.terms;
    // Catalogue texts must follow the glossary too (the glossary's own `avoid` lists excepted).
    if (refs.ok) issues.push(...locate(refs.source, checkGlossary(refs.value, glossary)));
    if (scaleFile.ok) issues.push(...locate(scaleFile.source, checkGlossary(scaleFile.value, glossary)));
  } else issues.push(...catalogueIssues(dir, CATALOGUE_FILES.glossary, glossaryFile.issues));

  // A catalogue that did not load is reported above; checking questionnaires against it would only repeat that.
  const unavailable = new Set<CatalogueFile>();
  if (!refs.ok) unavailable.add('references');
  if (!scaleFile.ok) unavailable.add('scales');
  if (!glossaryFile.ok) unavailable.add('glossary');
  return { catalogue: { references, scales, glossary }, issues, unavailable };
}

async function expand(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      const entries = (await readdir(path)).filter((name) => isYaml(name) && !catalogueNames.has(name)).sort();
      files.push(...entries.map((name) => join(path, name)));
    } else if (!catalogueNames.has(basename(path))) {
      files.push(path);
    }
  }
  return files.map((file) => resolve(file));
}

export async function loadQuestionnaireFile(file: string, catalogue: Catalogue, unavailable: ReadonlySet<CatalogueFile> = new Set()): Promise<{ questionnaire?: Questionnaire; source?: YamlSource; issues: ValidationIssue[] }> {
  const parsed = await readYaml(file, questionnaireSchema);
  if (!parsed.ok) return { issues: parsed.issues };
  const problems = crossCheckQuestionnaire(parsed.value, catalogue, unavailable);
  const expectedId = basename(file, extname(file));
  if (parsed.value.id !== expectedId) {
    problems.unshift({ path: ['id'], message: `id "${parsed.value.id}" must match the file name "${basename(file)}": rename the file to ${parsed.value.id}.yaml or change the id` });
  }
  const issues = locate(parsed.source, problems);
  return issues.length > 0 ? { issues } : { questionnaire: buildQuestionnaire(parsed.value, displayName(file)), source: parsed.source, issues };
}

/**
 * Loads questionnaires from files or folders. Catalogues come from `catalogueDir`, by default the folder
 * of the first path (or the path itself when it is a folder).
 */
export async function loadQuestionnaires(paths: readonly string[], catalogueDir?: string): Promise<LoadResult> {
  const first = paths[0] ?? '.';
  const firstIsDir = (await stat(first).catch(() => undefined))?.isDirectory() ?? false;
  const dir = catalogueDir ?? (firstIsDir ? first : dirname(first));
  const { catalogue, issues, unavailable } = await loadCatalogue(dir);
  const files = await expand(paths);
  const questionnaires: Questionnaire[] = [];
  const sources = new Map<string, YamlSource>();
  for (const file of files) {
    const result = await loadQuestionnaireFile(file, catalogue, unavailable);
    issues.push(...result.issues);
    if (result.questionnaire) questionnaires.push(result.questionnaire);
    if (result.questionnaire && result.source) sources.set(result.questionnaire.id, result.source);
  }
  // The size of the core set is judged only on a whole folder that loaded without errors.
  const wholeSet = firstIsDir && paths.length === 1 && questionnaires.length === files.length;
  const loaded = new Set(questionnaires.map((q) => q.id));
  const failed = new Set(files.map((file) => basename(file, extname(file))).filter((id) => !loaded.has(id)));
  for (const issue of checkQuestionnaireSet(questionnaires, wholeSet, failed)) {
    const source = sources.get(issue.questionnaireId);
    if (source) issues.push(...locate(source, [issue]));
  }
  return { questionnaires, catalogue, issues, filesChecked: files.length + catalogueNames.size };
}
