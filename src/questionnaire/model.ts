/** The validated, indexed form of questionnaires and catalogues that the rest of ENA works with. */
import type { GlossaryTerm, Question, QuestionnaireDoc, Reference, Scale, ScoredQuestion, SectionDoc } from './schema.js';
import { inScope, isScored, type Scope } from './schema.js';

export interface Catalogue {
  references: ReadonlyMap<string, Reference>;
  scales: ReadonlyMap<string, Scale>;
  glossary: readonly GlossaryTerm[];
}

export interface PlacedQuestion {
  question: Question;
  section: SectionDoc;
  sectionIndex: number;
  /** Position in the whole questionnaire, in document order. */
  order: number;
}

export interface Questionnaire extends QuestionnaireDoc {
  file: string;
  questions: readonly PlacedQuestion[];
  questionsById: ReadonlyMap<string, PlacedQuestion>;
}

export function buildQuestionnaire(doc: QuestionnaireDoc, file: string): Questionnaire {
  const questions: PlacedQuestion[] = [];
  doc.sections.forEach((section, sectionIndex) => {
    for (const question of section.questions) questions.push({ question, section, sectionIndex, order: questions.length });
  });
  return { ...doc, file, questions, questionsById: new Map(questions.map((placed) => [placed.question.id, placed])) };
}

export function scoredQuestions(questionnaire: Questionnaire): ScoredQuestion[] {
  return questionnaire.questions.map((placed) => placed.question).filter(isScored);
}

/** The highest level a question's answer can reach: its scale's top level, 4 for the fixed types. */
export function maxLevel(question: ScoredQuestion, catalogue: Pick<Catalogue, 'scales'>): number {
  if (question.type !== 'maturity') return 4;
  const scale = catalogue.scales.get(question.scale);
  return scale ? Math.max(...scale.levels.map((entry) => entry.level)) : 4;
}

/**
 * The questionnaire as a mission of the given scope sees it: in `core`, only core questions, and
 * sections left empty dropped. Numbering, the fill page and reports all follow this view.
 */
export function scopedQuestionnaire(questionnaire: Questionnaire, scope: Scope): Questionnaire {
  if (scope === 'full') return questionnaire;
  const sections = questionnaire.sections
    .map((section) => ({ ...section, questions: section.questions.filter((question) => inScope(question, scope)) }))
    .filter((section) => section.questions.length > 0);
  return buildQuestionnaire({ ...questionnaire, sections }, questionnaire.file);
}

export interface SeeTarget {
  questionnaire: Questionnaire;
  placed: PlacedQuestion;
}

/** The indicator a `see:` reference names: `question-id` in `from`, or `questionnaire-id/question-id`. */
export function resolveSee(ref: string, from: Questionnaire, all: readonly Questionnaire[]): SeeTarget | undefined {
  const [questionnaireId, questionId] = ref.includes('/') ? ref.split('/') : [from.id, ref];
  const questionnaire = questionnaireId === from.id ? from : all.find((q) => q.id === questionnaireId);
  const placed = questionId === undefined ? undefined : questionnaire?.questionsById.get(questionId);
  return questionnaire && placed ? { questionnaire, placed } : undefined;
}
