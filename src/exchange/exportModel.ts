/**
 * The export model: questionnaires, answers and scores as plain rows keyed by stable ids, the one source
 * for the XLSX, CSV and JSON exports. Pure: data in, a JSON-ready object out.
 *
 * Columns never depend on a questionnaire's content: every row is one question of one assessment, so a
 * questionnaire version that adds, moves or removes questions adds, moves or marks rows and never shifts
 * a column. Answers to questions the current version no longer has stay in the export as "retired" rows
 * (labelled from the pinned version's snapshot when there is one); answers that no longer fit their
 * question are kept as "invalid" rows and left out of the scores, exactly as the assessment view does.
 */
import type { AnswerValue } from '../questionnaire/answerValue.js';
import type { Catalogue, Questionnaire } from '../questionnaire/model.js';
import { isScored, type Bilingual, type Question, type QuestionnaireDoc } from '../questionnaire/schema.js';
import { DEFAULT_SCOPE, type EvidenceLevel, type QuestionType, type Scope } from '../questionnaire/vocabulary.js';
import { visibleQuestions } from '../conditions/evaluate.js';
import { scoreCountry, scoreQuestionnaire, type AggregateScore, type AnswerInput, type QuestionnaireScore, type QuestionStatus, type TargetOverrides } from '../scoring/score.js';
import { compareVersions } from '../storage/questionnaireVersions.js';
import type { AnswerDto } from '../storage/answers.js';
import type { MissionStatus } from '../storage/schema.js';
import { rawValue } from './valueLabels.js';

export const EXPORT_FORMAT = 'ena-export';
export const EXPORT_FORMAT_VERSION = 1;

export type ExportScope = { kind: 'all' } | { kind: 'country'; code: string } | { kind: 'mission'; id: number };

/** A stored answer with its author named rather than numbered (ids differ between servers). */
export interface ExportAnswerInput extends Omit<AnswerDto, 'authorId'> {
  authorEmail: string | null;
  authorName: string | null;
}

export interface ExportAssessmentInput {
  questionnaireId: string;
  questionnaireVersion: number;
  /** The pinned version's snapshot, when it differs from the installed version and is known. */
  pinned: QuestionnaireDoc | undefined;
  answers: readonly ExportAnswerInput[];
  openConflicts: number;
}

export interface ExportCountry {
  code: string;
  name: Bilingual;
}

export interface ExportMissionInput {
  id: number;
  uid: string | null;
  country: ExportCountry;
  title: string;
  startsOn: string;
  endsOn: string;
  status: MissionStatus;
  isDemo: boolean;
  /** `core` or `full` (absent: full): questions outside it are hidden and do not score. */
  scope?: Scope | undefined;
  team: string[];
  institutionsMet: string[];
  targets: TargetOverrides;
  assessments: readonly ExportAssessmentInput[];
}

export interface ExportInput {
  scope: ExportScope;
  generatedAt: string;
  missions: readonly ExportMissionInput[];
}

export type RowStatus = QuestionStatus | 'retired' | 'invalid';

export interface ExportRow {
  countryCode: string;
  countryName: Bilingual;
  missionId: number;
  missionTitle: string;
  /** The mission's scope: in a `core` mission the questions outside the core set are `hidden` rows. */
  missionScope: Scope;
  questionnaireId: string;
  pinnedVersion: number;
  /** Null when the questionnaire is no longer installed. */
  currentVersion: number | null;
  sectionId: string | null;
  sectionTitle: Bilingual | null;
  questionId: string;
  questionText: Bilingual | null;
  questionType: QuestionType | null;
  weight: number | null;
  critical: boolean | null;
  status: RowStatus;
  value: AnswerValue | null;
  rawValue: string | number | null;
  evidence: EvidenceLevel | null;
  note: string | null;
  source: string | null;
  level: number | null;
  maxLevel: number | null;
  score: number | null;
  target: number | null;
  gap: number | null;
  priority: number | null;
  undocumented: boolean | null;
  revision: number | null;
  authorEmail: string | null;
  authorName: string | null;
  updatedAt: string | null;
  /** The question, for labelling the answer in each language (not part of the JSON export). */
  question?: Question | undefined;
}

export interface ExportAssessment {
  questionnaireId: string;
  pinnedVersion: number;
  currentVersion: number | null;
  score: QuestionnaireScore | null;
  counts: { retired: number; invalid: number; openConflicts: number };
  rows: ExportRow[];
}

export interface ExportMission extends Omit<ExportMissionInput, 'targets' | 'assessments' | 'scope'> {
  /** Always given (`full` when the input had none), so a reader never has to guess. */
  scope: Scope;
  /** All areas together (the per-area scores are on each assessment). */
  score: AggregateScore;
  assessments: ExportAssessment[];
}

export interface ExportQuestionnaire {
  id: string;
  /** Null when no longer installed (only old answers refer to it). */
  version: number | null;
  title: Bilingual | null;
}

export interface ExportModel {
  format: typeof EXPORT_FORMAT;
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  generatedAt: string;
  scope: ExportScope;
  questionnaires: ExportQuestionnaire[];
  missions: ExportMission[];
}

export interface QuestionnaireSet {
  questionnaires: readonly Questionnaire[];
  catalogue: Pick<Catalogue, 'scales'>;
}

function findInDoc(doc: QuestionnaireDoc | undefined, questionId: string): { question: Question; section: QuestionnaireDoc['sections'][number] } | undefined {
  for (const section of doc?.sections ?? []) {
    const question = section.questions.find((q) => q.id === questionId);
    if (question) return { question, section };
  }
  return undefined;
}

type MissionContext = Pick<ExportRow, 'countryCode' | 'countryName' | 'missionId' | 'missionTitle' | 'missionScope' | 'questionnaireId' | 'pinnedVersion' | 'currentVersion'>;

function answerFields(answer: ExportAnswerInput | undefined): Pick<ExportRow, 'value' | 'rawValue' | 'evidence' | 'note' | 'source' | 'revision' | 'authorEmail' | 'authorName' | 'updatedAt'> {
  if (!answer) return { value: null, rawValue: null, evidence: null, note: null, source: null, revision: null, authorEmail: null, authorName: null, updatedAt: null };
  return {
    value: answer.value,
    rawValue: rawValue(answer.value),
    evidence: answer.evidence, note: answer.note, source: answer.source, revision: answer.revision,
    authorEmail: answer.authorEmail, authorName: answer.authorName, updatedAt: answer.updatedAt,
  };
}

const noScore = { level: null, maxLevel: null, score: null, target: null, gap: null, priority: null, undocumented: null } as const;

function retiredRow(context: MissionContext, answer: ExportAnswerInput, pinned: QuestionnaireDoc | undefined): ExportRow {
  const old = findInDoc(pinned, answer.questionId);
  return {
    ...context, sectionId: old?.section.id ?? null, sectionTitle: old?.section.title ?? null, questionId: answer.questionId,
    questionText: old?.question.text ?? null, questionType: old?.question.type ?? null, weight: null, critical: null, status: 'retired',
    ...answerFields(answer), ...noScore, question: old?.question,
  };
}

function assessmentRows(mission: ExportMissionInput, input: ExportAssessmentInput, set: QuestionnaireSet): ExportAssessment {
  const questionnaire = set.questionnaires.find((q) => q.id === input.questionnaireId);
  const context: MissionContext = {
    countryCode: mission.country.code, countryName: mission.country.name, missionId: mission.id, missionTitle: mission.title, missionScope: mission.scope ?? DEFAULT_SCOPE,
    questionnaireId: input.questionnaireId, pinnedVersion: input.questionnaireVersion, currentVersion: questionnaire?.version ?? null,
  };
  const byQuestion = new Map(input.answers.map((a) => [a.questionId, a]));
  const sortedAnswers = [...input.answers].sort((a, b) => a.questionId.localeCompare(b.questionId));
  if (!questionnaire) {
    return {
      questionnaireId: input.questionnaireId, pinnedVersion: input.questionnaireVersion, currentVersion: null, score: null,
      counts: { retired: input.answers.length, invalid: 0, openConflicts: input.openConflicts },
      rows: sortedAnswers.map((answer) => retiredRow(context, answer, input.pinned)),
    };
  }
  const changes = compareVersions(input.questionnaireVersion, input.pinned, questionnaire, input.answers.map((a) => ({ ...a, authorId: null })));
  const retired = new Set(changes.retiredAnswers);
  const invalid = new Set(changes.invalidAnswers.map((a) => a.questionId));
  const current = input.answers.filter((a) => !retired.has(a.questionId) && !invalid.has(a.questionId));
  const inputs = new Map<string, AnswerInput>(current.map((a) => [a.questionId, { value: a.value, evidence: a.evidence ?? undefined }]));
  const score = scoreQuestionnaire(questionnaire, set.catalogue, inputs, mission.targets, mission.scope);
  const scores = new Map(score.questions.map((q) => [q.questionId, q]));
  const visible = visibleQuestions(questionnaire, new Map(current.map((a) => [a.questionId, a.value])), mission.scope);

  const rows: ExportRow[] = questionnaire.questions.map(({ question, section }) => {
    const answer = byQuestion.get(question.id);
    const scored = scores.get(question.id);
    const status: RowStatus = invalid.has(question.id) ? 'invalid'
      : scored ? scored.status
      : !visible.has(question.id) ? 'hidden'
      : answer ? 'answered' : 'unanswered';
    // Without a level there is no gap to speak of: an unknown is an evidence gap, not a gap of 0.
    const scoreFields = scored && status !== 'invalid' && scored.level !== null
      ? { level: scored.level, maxLevel: scored.maxLevel, score: scored.score, target: scored.target, gap: scored.gap, priority: scored.priority, undocumented: scored.undocumented }
      : scored ? { ...noScore, maxLevel: scored.maxLevel, target: scored.target } : noScore;
    return {
      ...context, sectionId: section.id, sectionTitle: section.title, questionId: question.id, questionText: question.text, questionType: question.type,
      weight: isScored(question) ? question.weight : null, critical: isScored(question) ? question.critical : null, status,
      ...answerFields(answer), ...scoreFields, question,
    };
  });
  for (const answer of sortedAnswers) if (retired.has(answer.questionId)) rows.push(retiredRow(context, answer, input.pinned));
  return {
    questionnaireId: input.questionnaireId, pinnedVersion: input.questionnaireVersion, currentVersion: questionnaire.version, score,
    counts: { retired: retired.size, invalid: invalid.size, openConflicts: input.openConflicts },
    rows,
  };
}

export function buildExportModel(input: ExportInput, set: QuestionnaireSet): ExportModel {
  const missions = input.missions.map((mission): ExportMission => {
    const assessments = [...mission.assessments].sort((a, b) => a.questionnaireId.localeCompare(b.questionnaireId)).map((a) => assessmentRows(mission, a, set));
    const { areas: _areas, ...overall } = scoreCountry(assessments.flatMap((a) => (a.score ? [a.score] : [])));
    return {
      id: mission.id, uid: mission.uid, country: mission.country, title: mission.title, startsOn: mission.startsOn, endsOn: mission.endsOn,
      status: mission.status, isDemo: mission.isDemo, scope: mission.scope ?? DEFAULT_SCOPE, team: mission.team, institutionsMet: mission.institutionsMet, score: overall, assessments,
    };
  });
  // Every installed questionnaire gets its sheet, in a stable order; old ones only answers refer to come last.
  const installed: ExportQuestionnaire[] = [...set.questionnaires].sort((a, b) => a.id.localeCompare(b.id)).map((q) => ({ id: q.id, version: q.version, title: q.title }));
  const known = new Set(installed.map((q) => q.id));
  const gone = [...new Set(missions.flatMap((m) => m.assessments.map((a) => a.questionnaireId)).filter((id) => !known.has(id)))].sort()
    .map((id): ExportQuestionnaire => ({ id, version: null, title: null }));
  return { format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, generatedAt: input.generatedAt, scope: input.scope, questionnaires: [...installed, ...gone], missions };
}

/** All rows of one questionnaire across the exported missions, in mission order then question order. */
export function rowsOf(model: ExportModel, questionnaireId: string): ExportRow[] {
  return model.missions.flatMap((m) => m.assessments.filter((a) => a.questionnaireId === questionnaireId).flatMap((a) => a.rows));
}
