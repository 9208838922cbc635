/**
 * The one definition of progress, used by the dashboard, the mission page, the fill-in page (server and
 * browser bundle) and completion: a question counts when it is shown (its conditions hold) and holds
 * an answer — "Unknown" and "Not applicable" included, since the expert dealt with it — out of the
 * questions shown. Questions hidden by earlier answers count for neither side. Scoring coverage
 * (answered with a level / applicable) is a different figure, for the report, from src/scoring.
 * Pure: no I/O, bundled into the browser as is.
 */
import { visibleQuestions } from '../conditions/evaluate.js';
import type { AnswerValue } from '../questionnaire/answerValue.js';
import type { Questionnaire } from '../questionnaire/model.js';

export interface Progress {
  filled: number;
  total: number;
}

export interface ProgressResult {
  sections: Map<string, Progress>;
  total: Progress;
}

interface ProgressSection {
  id: string;
  questions: readonly { id: string; required?: boolean }[];
}

export function fillProgress(sections: readonly ProgressSection[], visible: ReadonlySet<string>, answered: ReadonlySet<string>): ProgressResult {
  const result: ProgressResult = { sections: new Map(), total: { filled: 0, total: 0 } };
  for (const section of sections) {
    const shown = section.questions.filter((question) => visible.has(question.id));
    const progress = { filled: shown.filter((question) => answered.has(question.id)).length, total: shown.length };
    result.sections.set(section.id, progress);
    result.total.filled += progress.filled;
    result.total.total += progress.total;
  }
  return result;
}

/** Shown questions without an answer, in questionnaire order (for "next unanswered"). */
export function unansweredQuestions(sections: readonly ProgressSection[], visible: ReadonlySet<string>, answered: ReadonlySet<string>): string[] {
  return sections.flatMap((section) => section.questions.filter((question) => visible.has(question.id) && !answered.has(question.id)).map((question) => question.id));
}

/** Shown questions marked `required` that hold no answer: they keep a questionnaire from being marked complete. */
export function missingRequired(sections: readonly ProgressSection[], visible: ReadonlySet<string>, answered: ReadonlySet<string>): string[] {
  return sections.flatMap((section) => section.questions.filter((question) => question.required === true && visible.has(question.id) && !answered.has(question.id)).map((question) => question.id));
}

export interface QuestionnaireProgress {
  progress: Progress;
  /** Shown questions without an answer, in order. */
  unanswered: string[];
  /** Shown required questions without an answer. */
  missingRequired: string[];
}

/** Progress of a questionnaire from its stored answers (server side: dashboard, mission page, completion). */
export function questionnaireProgress(questionnaire: Questionnaire, answers: ReadonlyMap<string, AnswerValue>): QuestionnaireProgress {
  const visible = visibleQuestions(questionnaire, answers);
  const answered = new Set(answers.keys());
  return {
    progress: fillProgress(questionnaire.sections, visible, answered).total,
    unanswered: unansweredQuestions(questionnaire.sections, visible, answered),
    missingRequired: missingRequired(questionnaire.sections, visible, answered),
  };
}
