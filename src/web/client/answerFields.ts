/**
 * How one question's answer is written as HTML form fields, and read back. Pure and isomorphic: the
 * browser bundle reads fields through FormData.getAll, the server's no-JavaScript form handler reads
 * the urlencoded body, and both get the same answer (or the same "nothing to save yet").
 */
import type { AlignmentRowAnswer, AnswerValue } from '../../questionnaire/answerValue.js';
import type { Question } from '../../questionnaire/schema.js';
import { ALIGNMENT_STATUSES, EVIDENCE_LEVELS, NOT_APPLICABLE, UNKNOWN, type EvidenceLevel } from '../../questionnaire/vocabulary.js';

/** The question shape the field reader needs; the browser gets exactly this, not the whole questionnaire. */
export type FieldQuestion = Pick<Question, 'id' | 'type'> & { scored: boolean; optionIds?: string[]; rowIds?: string[] };

/** All values submitted under one field name (checked boxes, chosen radios, text). */
export type FieldGetter = (name: string) => readonly string[];

export const fieldName = {
  value: (id: string): string => `q.${id}.value`,
  special: (id: string): string => `q.${id}.special`,
  note: (id: string): string => `q.${id}.note`,
  source: (id: string): string => `q.${id}.source`,
  evidence: (id: string): string => `q.${id}.evidence`,
  revision: (id: string): string => `q.${id}.rev`,
  rowStatus: (id: string, row: string): string => `q.${id}.row.${row}.status`,
  rowProvision: (id: string, row: string): string => `q.${id}.row.${row}.provision`,
  rowNote: (id: string, row: string): string => `q.${id}.row.${row}.note`,
};

/** The question id a field name belongs to, or undefined for fields that are not answer fields. */
export function questionIdOfField(name: string): string | undefined {
  const match = /^q\.([a-z0-9_-]+)\./.exec(name);
  return match?.[1];
}

export interface AnswerFields {
  /** undefined: the fields hold no value that can be saved yet (e.g. an empty number). */
  value: AnswerValue | undefined;
  note?: string;
  source?: string;
  evidence?: EvidenceLevel;
  /**
   * Text in a number or date field that is not (yet) a number or a date: never sent, but kept with the
   * held change, so that a reload or a closed tab shows the expert what they typed instead of losing it.
   */
  typed?: string;
}

const first = (get: FieldGetter, name: string): string => (get(name)[0] ?? '').trim();

function specialOf(get: FieldGetter, question: FieldQuestion): AnswerValue | undefined {
  if (!question.scored) return undefined;
  const chosen = get(fieldName.special(question.id));
  return chosen.includes(UNKNOWN) ? UNKNOWN : chosen.includes(NOT_APPLICABLE) ? NOT_APPLICABLE : undefined;
}

function ownValue(get: FieldGetter, question: FieldQuestion): AnswerValue | undefined {
  const raw = first(get, fieldName.value(question.id));
  switch (question.type) {
    case 'maturity': {
      if (raw === UNKNOWN || raw === NOT_APPLICABLE) return raw;
      return /^[0-4]$/.test(raw) ? Number(raw) : undefined;
    }
    case 'yes_partial_no':
    case 'single_choice':
      return raw === '' ? undefined : raw;
    case 'multiple_choice': {
      const allowed = question.optionIds;
      return get(fieldName.value(question.id)).filter((id) => !allowed || allowed.includes(id));
    }
    case 'number': {
      // Accept a decimal comma, as typed on Russian keyboards.
      const normalised = raw.replace(/\s/g, '').replace(',', '.');
      if (normalised === '') return undefined;
      const number = Number(normalised);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'alignment_table': {
      const rows: Record<string, AlignmentRowAnswer> = {};
      for (const row of question.rowIds ?? []) {
        const status = first(get, fieldName.rowStatus(question.id, row));
        if (!(ALIGNMENT_STATUSES as readonly string[]).includes(status)) continue;
        const entry: AlignmentRowAnswer = { status: status as AlignmentRowAnswer['status'] };
        const provision = first(get, fieldName.rowProvision(question.id, row));
        const note = first(get, fieldName.rowNote(question.id, row));
        if (provision) entry.provision = provision;
        if (note) entry.note = note;
        rows[row] = entry;
      }
      return Object.keys(rows).length === 0 ? undefined : { rows };
    }
    case 'date':
      return isoDateOf(raw);
    case 'text':
      // Free text keeps its inner line breaks; only the outer blanks go.
      return (get(fieldName.value(question.id))[0] ?? '').trim();
  }
}

/**
 * A date as typed: ISO (YYYY-MM-DD, what a native date field sends) or the Russian DD.MM.YYYY of the
 * Russian form's text field (a native date field shows the browser's own format, e.g. mm/dd/yyyy, whatever
 * the page's language). Impossible dates (31.02.2024) are no date.
 */
export function isoDateOf(raw: string): string | undefined {
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(raw.trim());
  const iso = dotted ? `${dotted[3]}-${dotted[2]!.padStart(2, '0')}-${dotted[1]!.padStart(2, '0')}` : raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}

/** An ISO date as the Russian form shows it (DD.MM.YYYY). */
export const dottedDate = (iso: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('.') : iso);

/** Reads one question's answer from its fields. */
export function readAnswerFields(question: FieldQuestion, get: FieldGetter): AnswerFields {
  const fields: AnswerFields = { value: specialOf(get, question) ?? ownValue(get, question) };
  const note = first(get, fieldName.note(question.id));
  const source = first(get, fieldName.source(question.id));
  const evidence = first(get, fieldName.evidence(question.id));
  if (note) fields.note = note;
  if (source) fields.source = source;
  if ((EVIDENCE_LEVELS as readonly string[]).includes(evidence)) fields.evidence = evidence as EvidenceLevel;
  const typed = first(get, fieldName.value(question.id));
  if (fields.value === undefined && (question.type === 'number' || question.type === 'date') && typed !== '') fields.typed = typed;
  return fields;
}

/** A stable text form of an answer, to tell whether anything changed. */
export function answerKey(fields: AnswerFields): string {
  return JSON.stringify([fields.value ?? null, fields.note ?? '', fields.source ?? '', fields.evidence ?? '']);
}
