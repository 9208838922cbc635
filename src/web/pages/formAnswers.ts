/**
 * The fill-in form posted without JavaScript: which answers changed, read with the same field reader
 * as the browser bundle. Pure. Untouched questions (no stored answer, nothing entered) are skipped,
 * so an empty multiple choice or text box never becomes an answer by accident.
 */
import type { Questionnaire } from '../../questionnaire/model.js';
import { isScored, type Question } from '../../questionnaire/schema.js';
import { answerKey, fieldName, readAnswerFields, type AnswerFields, type FieldQuestion } from '../client/answerFields.js';
import type { StoredAnswer } from './fillModel.js';

export interface FormChange {
  questionId: string;
  fields: AnswerFields;
  baseRevision: number;
}

export function toFieldQuestion(question: Question): FieldQuestion {
  const field: FieldQuestion = { id: question.id, type: question.type, scored: isScored(question) };
  if (question.type === 'single_choice' || question.type === 'multiple_choice') field.optionIds = question.options.map((option) => option.id);
  if (question.type === 'alignment_table') field.rowIds = question.rows.map((row) => row.id);
  return field;
}

export function storedFields(answer: StoredAnswer): AnswerFields {
  const fields: AnswerFields = { value: answer.value };
  if (answer.note) fields.note = answer.note;
  if (answer.source) fields.source = answer.source;
  if (answer.evidence) fields.evidence = answer.evidence;
  return fields;
}

const isBlank = (fields: AnswerFields): boolean =>
  (fields.value === undefined || fields.value === '' || (Array.isArray(fields.value) && fields.value.length === 0))
  && fields.note === undefined && fields.source === undefined && fields.evidence === undefined;

export function formChanges(questionnaire: Questionnaire, body: Record<string, unknown>, stored: ReadonlyMap<string, StoredAnswer>): FormChange[] {
  const get = (name: string): string[] => {
    const value = body[name];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
  };
  const changes: FormChange[] = [];
  for (const { question } of questionnaire.questions) {
    // A question whose fields were not in the form at all (another section, a stale page) is left alone.
    if (get(fieldName.revision(question.id)).length === 0) continue;
    const fields = readAnswerFields(toFieldQuestion(question), get);
    const current = stored.get(question.id);
    if (current ? answerKey(fields) === answerKey(storedFields(current)) : isBlank(fields)) continue;
    const baseRevision = Number(get(fieldName.revision(question.id))[0]);
    changes.push({ questionId: question.id, fields, baseRevision: Number.isInteger(baseRevision) && baseRevision >= 0 ? baseRevision : 0 });
  }
  return changes;
}
