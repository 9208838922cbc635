/**
 * The one condition evaluator: the server, the scoring and the browser bundle all import it.
 * Pure: no I/O, no dependencies beyond the questionnaire types.
 */
import type { Condition, Question, Scope } from '../questionnaire/schema.js';
import type { Questionnaire } from '../questionnaire/model.js';
import type { AnswerValue } from '../questionnaire/answerValue.js';
import { isSpecial } from '../questionnaire/vocabulary.js';
import { levelOf } from '../scoring/levels.js';

export type AnswerLookup = (questionId: string) => AnswerValue | undefined;

function asList(value: AnswerValue): (string | number)[] {
  return Array.isArray(value) ? value : typeof value === 'object' ? [] : [value];
}

export function evaluateCondition(condition: Condition, answerOf: AnswerLookup, questionOf: (id: string) => Question | undefined): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, answerOf, questionOf));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, answerOf, questionOf));
  if ('not' in condition) return !evaluateCondition(condition.not, answerOf, questionOf);

  const value = answerOf(condition.question);
  const answered = value !== undefined && !isSpecial(value);
  if ('answered' in condition) return answered === condition.answered;
  if (!answered) return false;
  if ('equals' in condition) return asList(value).includes(condition.equals as string | number);
  if ('in' in condition) return asList(value).some((v) => condition.in.includes(v));
  const question = questionOf(condition.question);
  if (!question) return false;
  const measured = question.type === 'number' ? (value as number) : levelOf(question, value);
  return measured !== null && measured >= condition.at_least;
}

/**
 * Which questions are visible for a set of answers. One pass in document order suffices because
 * conditions may only look backwards; a hidden question counts as unanswered for later conditions.
 * A question outside the mission's scope (not `core` in a `core` mission) is hidden like one whose
 * condition is false: experts do not see it, it is not unanswered and it does not score.
 */
export function visibleQuestions(questionnaire: Questionnaire, answers: ReadonlyMap<string, AnswerValue>, scope: Scope = 'full'): Set<string> {
  const visible = new Set<string>();
  const answerOf: AnswerLookup = (id) => (visible.has(id) ? answers.get(id) : undefined);
  const questionOf = (id: string): Question | undefined => questionnaire.questionsById.get(id)?.question;
  for (const section of questionnaire.sections) {
    if (section.show_if && !evaluateCondition(section.show_if, answerOf, questionOf)) continue;
    for (const question of section.questions) {
      if (scope === 'core' && !question.core) continue;
      if (!question.show_if || evaluateCondition(question.show_if, answerOf, questionOf)) visible.add(question.id);
    }
  }
  return visible;
}
