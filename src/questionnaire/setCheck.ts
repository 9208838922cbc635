/**
 * Rules across the whole questionnaire set: `see:` cross-references into other questionnaires and the
 * visit-sized core set (docs/QUESTIONNAIRES.md, "Scope"). Pure: questionnaires in, located-by-path issues out.
 */
import type { Questionnaire } from './model.js';
import { countsInScore, type Question } from './schema.js';
import type { DocPath } from './sourcePositions.js';
import type { PathIssue } from './yamlFile.js';

/** How many scored indicators a three-day visit can cover (issue 10; review §3, C10). */
export const CORE_MIN = 30;
export const CORE_MAX = 45;

export interface SetIssue extends PathIssue {
  questionnaireId: string;
}

/** Scored indicators of the core set. */
export function coreIndicators(questionnaires: readonly Questionnaire[]): { questionnaireId: string; question: Question }[] {
  return questionnaires.flatMap((q) => q.questions.filter((p) => p.question.core && countsInScore(p.question)).map((p) => ({ questionnaireId: q.id, question: p.question })));
}

function pathOf(questionnaire: Questionnaire, questionId: string): DocPath {
  const placed = questionnaire.questionsById.get(questionId);
  if (!placed) return [];
  return ['sections', placed.sectionIndex, 'questions', placed.section.questions.indexOf(placed.question)];
}

function checkSee(see: string | undefined, from: Questionnaire, path: DocPath, byId: ReadonlyMap<string, Questionnaire>, failed: ReadonlySet<string>, issues: SetIssue[]): void {
  if (see === undefined || !see.includes('/')) return;
  const [questionnaireId = '', questionId = ''] = see.split('/');
  const target = byId.get(questionnaireId);
  if (!target && failed.has(questionnaireId)) return; // its own errors are reported; judge the reference once it loads
  if (!target) {
    issues.push({ questionnaireId: from.id, path, message: `refers to questionnaire "${questionnaireId}", which is not in the set: use one of ${[...byId.keys()].join(', ')}` });
    return;
  }
  const question = target.questionsById.get(questionId)?.question;
  if (!question) issues.push({ questionnaireId: from.id, path, message: `refers to "${see}", but ${questionnaireId} has no question "${questionId}"` });
  else if (!countsInScore(question)) issues.push({ questionnaireId: from.id, path, message: `refers to "${see}", which is not scored: "see" must point at the one indicator that scores the fact` });
}

/**
 * `wholeSet`: the questionnaires are the complete folder, so the size of the core set can be judged
 * (when the folder holds more scored indicators than a core set needs).
 * The core rules apply once any question of the set is marked core.
 */
export function checkQuestionnaireSet(questionnaires: readonly Questionnaire[], wholeSet: boolean, failed: ReadonlySet<string> = new Set()): SetIssue[] {
  const issues: SetIssue[] = [];
  const byId = new Map(questionnaires.map((q) => [q.id, q]));
  for (const questionnaire of questionnaires) {
    for (const placed of questionnaire.questions) {
      const path = pathOf(questionnaire, placed.question.id);
      checkSee(placed.question.see, questionnaire, [...path, 'see'], byId, failed, issues);
      if (placed.question.type === 'alignment_table') {
        placed.question.rows.forEach((row, ri) => checkSee(row.see, questionnaire, [...path, 'rows', ri, 'see'], byId, failed, issues));
      }
    }
  }
  const core = coreIndicators(questionnaires);
  if (core.length === 0) return issues;
  for (const questionnaire of questionnaires) {
    const critical = questionnaire.questions.filter((p) => countsInScore(p.question) && p.question.critical && !p.question.core);
    for (const placed of critical) {
      issues.push({ questionnaireId: questionnaire.id, path: [...pathOf(questionnaire, placed.question.id), 'critical'], message: `"${placed.question.id}" is critical but not in the core set: every critical indicator must be core, add core: true` });
    }
    if (!core.some((entry) => entry.questionnaireId === questionnaire.id)) {
      issues.push({ questionnaireId: questionnaire.id, path: ['id'], message: `no scored indicator of "${questionnaire.id}" is in the core set: every area must be represented, mark at least one core: true` });
    }
  }
  // A set smaller than a core set (a pilot or test folder) cannot be judged by size.
  const scored = questionnaires.reduce((n, q) => n + q.questions.filter((p) => countsInScore(p.question)).length, 0);
  if (wholeSet && scored > CORE_MIN && (core.length < CORE_MIN || core.length > CORE_MAX)) {
    const first = questionnaires[0];
    issues.push({ questionnaireId: first?.id ?? '', path: ['id'], message: `the core set has ${core.length} scored indicators across the set: a three-day visit needs ${CORE_MIN}–${CORE_MAX}; mark more or fewer questions core: true` });
  }
  return issues;
}
