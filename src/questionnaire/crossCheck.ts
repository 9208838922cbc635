/**
 * Rules that need the whole document or the catalogues: unique ids, conditions that look only
 * backwards, catalogue references, levels within the scale, recommendations for every gap level,
 * glossary variants to avoid.
 */
import type { Condition, GlossaryTerm, Question, QuestionnaireDoc, Scale } from './schema.js';
import { countsInScore, isScored } from './schema.js';
import type { Catalogue } from './model.js';
import type { DocPath } from './sourcePositions.js';
import type { PathIssue } from './yamlFile.js';
import { YES_PARTIAL_NO } from './vocabulary.js';

function duplicates<T>(items: readonly T[], idOf: (item: T) => string, path: (index: number) => DocPath, what: string): PathIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: PathIssue[] = [];
  items.forEach((item, index) => {
    const id = idOf(item);
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else issues.push({ path: [...path(index), 'id'], message: `duplicate ${what} id "${id}" (first used at index ${first}): ids must be unique, rename one` });
  });
  return issues;
}

/** Every value a condition may compare a question's answer against, or undefined when any is fine. */
function allowedConditionValues(question: Question): readonly (string | number)[] | undefined {
  switch (question.type) {
    case 'single_choice':
    case 'multiple_choice':
      return question.options.map((option) => option.id);
    case 'yes_partial_no':
      return YES_PARTIAL_NO;
    case 'maturity':
      return [0, 1, 2, 3, 4];
    default:
      return undefined;
  }
}

function checkCondition(condition: Condition, path: DocPath, earlier: ReadonlyMap<string, Question>, allIds: ReadonlySet<string>, issues: PathIssue[]): void {
  if ('all' in condition) return condition.all.forEach((c, i) => checkCondition(c, [...path, 'all', i], earlier, allIds, issues));
  if ('any' in condition) return condition.any.forEach((c, i) => checkCondition(c, [...path, 'any', i], earlier, allIds, issues));
  if ('not' in condition) return checkCondition(condition.not, [...path, 'not'], earlier, allIds, issues);
  const target = earlier.get(condition.question);
  if (!target) {
    issues.push({
      path: [...path, 'question'],
      message: allIds.has(condition.question)
        ? `refers to "${condition.question}", which does not come earlier: a condition may only depend on earlier questions (this also rules out cycles); move the question up or change the condition`
        : `refers to unknown question "${condition.question}": use the id of an earlier question in this questionnaire`,
    });
    return;
  }
  const allowed = allowedConditionValues(target);
  const compared = 'equals' in condition ? [condition.equals] : 'in' in condition ? condition.in : [];
  if (allowed) {
    for (const value of compared) {
      if (!allowed.includes(value as string | number)) {
        issues.push({ path: [...path, 'equals' in condition ? 'equals' : 'in'], message: `"${String(value)}" is not a possible answer of "${target.id}": use one of ${allowed.join(', ')}` });
      }
    }
  }
  if ('at_least' in condition && !isScored(target)) {
    issues.push({ path: [...path, 'at_least'], message: `"${target.id}" is a ${target.type} question and has no level: use "answered" instead` });
  }
}

function checkLevels(question: Question, path: DocPath, scales: ReadonlyMap<string, Scale>, issues: PathIssue[]): void {
  if (!isScored(question)) return;
  let top = 4;
  if (question.type === 'maturity') {
    const scale = scales.get(question.scale);
    if (!scale) {
      const known = [...scales.keys()];
      issues.push({ path: [...path, 'scale'], message: `unknown scale "${question.scale}": define it in scales.yaml${known.length > 0 ? ` or use one of ${known.join(', ')}` : ''}` });
      return;
    }
    top = Math.max(...scale.levels.map((entry) => entry.level));
    for (const key of Object.keys(question.levels ?? {})) {
      if (Number(key) > top) issues.push({ path: [...path, 'levels', key], message: `level ${key} is outside the scale "${scale.id}" (0–${top})` });
    }
  }
  if (question.target > top) issues.push({ path: [...path, 'target'], message: `target ${question.target} is above the scale's top level ${top}` });
  if (question.type === 'single_choice' || question.type === 'multiple_choice') {
    question.options.forEach((option, i) => {
      if (option.level > top) issues.push({ path: [...path, 'options', i, 'level'], message: `level ${option.level} is outside the scale (0–${top})` });
    });
  }
  if (question.type === 'number') {
    question.bands.forEach((band, i) => {
      const isLast = i === question.bands.length - 1;
      if (isLast && band.below !== undefined) issues.push({ path: [...path, 'bands', i, 'below'], message: 'the last band takes every remaining number: remove its "below"' });
      if (!isLast && band.below === undefined) issues.push({ path: [...path, 'bands', i], message: 'only the last band may omit "below": add the upper limit of this band' });
      const previous = question.bands[i - 1]?.below;
      if (band.below !== undefined && previous !== undefined && band.below <= previous) {
        issues.push({ path: [...path, 'bands', i, 'below'], message: `must be greater than the previous band's ${previous}: list bands from the lowest numbers up` });
      }
    });
  }
  const covered = new Set(question.recommendations.flatMap((rec) => rec.levels));
  question.recommendations.forEach((rec, i) => rec.levels.forEach((lvl, j) => {
    if (lvl > top) issues.push({ path: [...path, 'recommendations', i, 'levels', j], message: `level ${lvl} is outside the scale (0–${top})` });
  }));
  const missing = Array.from({ length: question.target }, (_, lvl) => lvl).filter((lvl) => !covered.has(lvl));
  if (missing.length > 0) {
    issues.push({ path: [...path, 'recommendations'], message: `no recommendation for gap level(s) ${missing.join(', ')} (below target ${question.target}): add recommendations whose "levels" cover them` });
  }
}

function checkReferences(ids: readonly string[] | undefined, path: DocPath, references: Catalogue['references'], issues: PathIssue[]): void {
  ids?.forEach((id, i) => {
    if (!references.has(id)) issues.push({ path: [...path, i], message: `reference "${id}" is not in references.yaml: add it to the catalogue or fix the id` });
  });
}

function conditionQuestions(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(conditionQuestions);
  if ('any' in condition) return condition.any.flatMap(conditionQuestions);
  if ('not' in condition) return conditionQuestions(condition.not);
  return [condition.question];
}

/** A `see:` target in the same questionnaire must be an indicator that scores; other files are checked by setCheck.ts. */
function checkLocalSee(see: string | undefined, path: DocPath, byId: ReadonlyMap<string, Question>, issues: PathIssue[]): void {
  if (see === undefined || see.includes('/')) return;
  const target = byId.get(see);
  if (!target) issues.push({ path, message: `refers to unknown question "${see}": use the id of the indicator that scores this fact, or questionnaire-id/question-id for another questionnaire` });
  else if (!countsInScore(target)) issues.push({ path, message: `refers to "${see}", which is not scored: "see" must point at the one indicator that scores the fact` });
}

/**
 * Rules of the core set, `see:` cross-references, informational records and timeframes:
 * - a core question may depend only on core questions, or a core mission could never show it;
 * - `see:` sits on unscored questions and table rows only: a fact is scored once;
 * - an informational record (treaty status) is never critical, and no scored question depends on one;
 * - a law change (parliament responsible) is never short term: one timeframe convention everywhere;
 * - a critical or core maturity indicator gives level 0 and level 1 distinct recommendations.
 */
function checkScopeAndSee(question: Question, path: DocPath, all: readonly Question[], issues: PathIssue[]): void {
  const byId = new Map(all.map((q) => [q.id, q]));
  if (question.core && question.show_if) {
    for (const id of conditionQuestions(question.show_if)) {
      if (byId.get(id)?.core === false) issues.push({ path: [...path, 'show_if'], message: `this core question depends on "${id}", which is not core: a core mission would never show it; mark "${id}" core: true or drop the condition` });
    }
  }
  if (countsInScore(question) && question.show_if) {
    for (const id of conditionQuestions(question.show_if)) {
      const source = byId.get(id);
      if (source && isScored(source) && source.informational) issues.push({ path: [...path, 'show_if'], message: `depends on "${id}", an informational (treaty-status) question: a scored question may not depend on treaty status; drop the condition or make this question informational too` });
    }
  }
  if (question.see !== undefined && isScored(question)) {
    issues.push({ path: [...path, 'see'], message: 'a scored question may not carry "see": the fact is scored elsewhere, so make this a text question that refers to it, or remove "see"' });
  }
  checkLocalSee(question.see, [...path, 'see'], byId, issues);
  if (question.type === 'alignment_table') question.rows.forEach((row, ri) => checkLocalSee(row.see, [...path, 'rows', ri, 'see'], byId, issues));
  if (!isScored(question)) return;
  if (question.informational && question.critical) issues.push({ path: [...path, 'critical'], message: 'an informational question is never scored, so it cannot be critical: remove one of the two' });
  question.recommendations.forEach((rec, i) => {
    if ((question.critical || question.core) && !question.informational && question.type === 'maturity' && question.target > 1 && rec.levels.includes(0) && rec.levels.includes(1)) {
      issues.push({ path: [...path, 'recommendations', i, 'levels'], message: 'a critical or core maturity indicator needs separate advice for level 0 (nothing exists: create it) and level 1 (it exists but is informal: formalise, staff, extend): split this recommendation' });
    }
    const dead = rec.levels.filter((lvl) => lvl >= question.target);
    if (dead.length > 0 && dead.length === rec.levels.length) {
      issues.push({ path: [...path, 'recommendations', i, 'levels'], message: `level(s) ${dead.join(', ')} are at or above the target ${question.target}, so this recommendation never prints: drop it or raise the target` });
    }
    if (rec.timeframe === 'short' && rec.responsible.includes('parliament')) {
      issues.push({ path: [...path, 'recommendations', i, 'timeframe'], message: 'a change of law (parliament responsible) is never short term: use medium (1–3 years) or long' });
    }
  });
}

/** `unavailable`: catalogue files that did not load (reported on their own); nothing is checked against them. */
export function crossCheckQuestionnaire(doc: QuestionnaireDoc, catalogue: Catalogue, unavailable: ReadonlySet<'references' | 'scales' | 'glossary'> = new Set()): PathIssue[] {
  const issues: PathIssue[] = [];
  const allQuestions = doc.sections.flatMap((section) => section.questions);
  const allIds = new Set(allQuestions.map((q) => q.id));
  issues.push(...duplicates(doc.sections, (s) => s.id, (i) => ['sections', i], 'section'));

  const earlier = new Map<string, Question>();
  const seenQuestionAt = new Map<string, string>();
  doc.sections.forEach((section, si) => {
    const sectionPath: DocPath = ['sections', si];
    if (section.show_if) checkCondition(section.show_if, [...sectionPath, 'show_if'], earlier, allIds, issues);
    section.questions.forEach((question, qi) => {
      const path: DocPath = [...sectionPath, 'questions', qi];
      const first = seenQuestionAt.get(question.id);
      if (first) issues.push({ path: [...path, 'id'], message: `duplicate question id "${question.id}" (first used at ${first}): ids must be unique within a questionnaire` });
      else seenQuestionAt.set(question.id, `sections[${si}].questions[${qi}]`);
      if (question.show_if) checkCondition(question.show_if, [...path, 'show_if'], earlier, allIds, issues);
      if (question.type === 'single_choice' || question.type === 'multiple_choice') {
        issues.push(...duplicates(question.options, (o) => o.id, (i) => [...path, 'options', i], 'option'));
      }
      if (question.type === 'alignment_table') {
        issues.push(...duplicates(question.rows, (r) => r.id, (i) => [...path, 'rows', i], 'row'));
        if (!unavailable.has('references')) question.rows.forEach((row, ri) => checkReferences(row.references, [...path, 'rows', ri, 'references'], catalogue.references, issues));
      }
      if (isScored(question) && !unavailable.has('references')) checkReferences(question.references, [...path, 'references'], catalogue.references, issues);
      if (!(unavailable.has('scales') && question.type === 'maturity')) checkLevels(question, path, catalogue.scales, issues);
      checkScopeAndSee(question, path, allQuestions, issues);
      earlier.set(question.id, question);
    });
  });
  issues.push(...checkGlossary(doc, catalogue.glossary));
  return issues;
}

/** Avoided variants match as whole words, in any case, in every `ru` text of a document. */
function avoidedVariantPattern(variant: string): RegExp {
  const escaped = variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}

/** Avoided variants in one piece of Russian free text (e.g. a demo note): the messages, empty when none. */
export function glossaryProblems(text: string, glossary: readonly GlossaryTerm[]): string[] {
  return glossary.flatMap((term) => term.avoid.filter((variant) => avoidedVariantPattern(variant).test(text))
    .map((variant) => `uses «${variant}», which the glossary says to avoid: write «${term.ru}» (${term.en})`));
}

export function checkGlossary(value: unknown, glossary: readonly GlossaryTerm[]): PathIssue[] {
  // A case-insensitive Unicode regex per variant per text was 60 % of `ena validate`: a plain substring
  // test on lower-cased text rules out almost every pair first; the regex then checks word boundaries.
  const rules = glossary.flatMap((term) => term.avoid.map((variant) => ({ term, variant, lower: variant.toLowerCase(), pattern: avoidedVariantPattern(variant) })));
  const issues: PathIssue[] = [];
  const walk = (node: unknown, path: DocPath): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, [...path, i]));
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'ru' && typeof child === 'string') {
        const lower = child.toLowerCase();
        for (const rule of rules) {
          if (lower.includes(rule.lower) && rule.pattern.test(child)) {
            issues.push({ path: [...path, key], message: `uses «${rule.variant}», which the glossary says to avoid: write «${rule.term.ru}» (${rule.term.en})` });
          }
        }
      } else {
        walk(child, [...path, key]);
      }
    }
  };
  walk(value, []);
  return issues;
}
