/** The country report model: one mission, all its assessments. Pure: input in, plain object out. */
import { visibleQuestions } from '../../conditions/evaluate.js';
import { isScored, type GlossaryTerm } from '../../questionnaire/schema.js';
import { ALIGNMENT_LEVELS, YES_PARTIAL_NO_LEVELS } from '../../scoring/levels.js';
import { DOCUMENTED_FROM_LEVEL, WEAKEST_LINK_CAP, type Coverage, type QuestionScore } from '../../scoring/score.js';
import type { Catalogue, Questionnaire } from '../../questionnaire/model.js';
import type { CountryReportInput, ReportLanguage } from '../input.js';
import {
  alignmentRows, answerDisplay, both, documentMeta, freeText, institutionText, mergeRanked, missionView, recommendationView,
  referenceViews, roundedLevel, same, scoreView, sectionTitle, seeView,
  type AlignmentRowView, type AnswerDisplay, type DocumentMeta, type FreeText, type MissionView, type RecommendationView,
  type ReferenceView, type ScoreView, type Text, type TocEntry,
} from './common.js';
import { areaChart, barChart, type BarChart, type Chart } from './charts.js';
import { scoreMission, type ScoredArea } from './scored.js';
import { applyDraft } from '../draft/apply.js';
import { reportStatusOf } from '../draft/status.js';

/** How many recommendations the executive summary lists. */
export const TOP_PRIORITIES = 7;

export interface CoverageView extends Coverage {
  percent: number | null;
}

export interface AreaSummaryRow {
  anchor: string;
  number: number;
  title: Text;
  score: ScoreView;
  coverage: CoverageView;
  gaps: number;
  criticalGaps: number;
  unknowns: number;
}

export interface SectionRow {
  title: Text;
  score: ScoreView;
  capped: boolean;
  coverage: CoverageView;
}

export interface GapRow {
  number: string;
  questionText: Text;
  sectionTitle: Text;
  level: number | null;
  target: number;
  gap: number;
  weight: number;
  critical: boolean;
  priority: number;
}

export interface AreaView {
  anchor: string;
  questionnaireId: string;
  /** The team's findings text from the report draft, when there is one. */
  findings: Text | null;
  gapsAnchor: string;
  recommendationsAnchor: string;
  number: number;
  title: Text;
  fullTitle: Text;
  description: Text;
  score: ScoreView;
  coverage: CoverageView;
  sections: SectionRow[];
  chart: BarChart;
  gaps: GapRow[];
  recommendations: RecommendationView[];
  unknowns: number;
  capped: Text[];
  /** A critical indicator is unknown: the area's score is provisional. */
  provisional: boolean;
  criticalUnknowns: CriticalUnknownRow[];
}

/** A critical indicator answered "unknown": listed among the critical findings, never ignored. */
export interface CriticalUnknownRow {
  number: string;
  areaTitle: Text;
  questionText: Text;
}

/** An informational record (treaty status and the date it was checked): shown, never scored. */
export interface InformationRow {
  number: string;
  areaTitle: Text;
  questionText: Text;
  answer: AnswerDisplay;
  note: FreeText | null;
}

export interface AlignmentView {
  number: string;
  areaTitle: Text;
  questionText: Text;
  score: ScoreView;
  rows: AlignmentRowView[];
  references: ReferenceView[];
  answered: boolean;
}

export type EvidenceGapReason = 'unknown' | 'unanswered' | 'undocumented';

export interface EvidenceGapRow {
  number: string;
  areaTitle: Text;
  questionText: Text;
  reason: EvidenceGapReason;
  reasonText: Text;
  askText: Text[];
}

export interface AnnexQuestion {
  number: string;
  text: Text;
  /** Scored in another indicator (`see:`). */
  see: Text | null;
  scored: boolean;
  critical: boolean;
  answer: AnswerDisplay;
  level: number | null;
  target: number | null;
  evidence: Text | null;
  note: FreeText | null;
  source: FreeText | null;
}

export interface AnnexArea {
  anchor: string;
  number: number;
  title: Text;
  sections: { title: Text; questions: AnnexQuestion[] }[];
}

export interface MethodologyView {
  scale: { level: number; label: Text; descriptor: Text }[];
  weakestLinkPercent: number;
  documentedFromLevel: number;
  yesPartialNo: { yes: number; partial: number; no: number };
  alignment: { full: number; partial: number; none: number };
}

/** Glossary terms only: a term's `note` is guidance for authors and never printed. */
export interface GlossaryRow {
  en: string;
  ru: string;
}

export interface CountryReportModel {
  kind: 'country';
  meta: DocumentMeta;
  country: { code: string; name: Text };
  mission: MissionView & {
    team: { name: string; role: FreeText | null }[];
    institutionsMet: { name: string; type: Text | null; date: string | null }[];
    scopeText: Text;
    /** Treaty status and other informational records, with the date they were checked. */
    information: InformationRow[];
    /** Which optional columns have anything in them. */
    columns: { role: boolean; type: boolean; date: boolean };
  };
  toc: TocEntry[];
  summary: {
    overall: ScoreView;
    coverage: CoverageView;
    areas: AreaSummaryRow[];
    chart: Chart;
    topPriorities: RecommendationView[];
    figures: { gaps: number; criticalGaps: number; criticalUnknowns: number; evidenceGaps: number; recommendations: number };
    criticalUnknowns: CriticalUnknownRow[];
    provisional: boolean;
    strongest: Text | null;
    weakest: Text | null;
  };
  /** The team's texts from the report draft; null where the report prints its generated sentences. */
  narrative: { summary: Text | null; context: Text | null; methodology: Text | null };
  areas: AreaView[];
  alignment: AlignmentView[];
  evidenceGaps: EvidenceGapRow[];
  annex: AnnexArea[];
  methodology: MethodologyView;
  glossary: GlossaryRow[];
}

/** Chapter numbers: summary 1, mission 2, then one per area, then the closing chapters. */
const FIRST_AREA_CHAPTER = 3;

export function coverageView(coverage: Coverage): CoverageView {
  return { ...coverage, percent: coverage.applicable === 0 ? null : Math.round((coverage.answered / coverage.applicable) * 100) };
}

const isGap = (score: QuestionScore): boolean => score.status === 'answered' && score.gap > 0;

function gapRows(area: ScoredArea): GapRow[] {
  const questionnaire = area.assessment.questionnaire;
  return area.score.questions.filter(isGap)
    .map((score) => ({ score, placed: questionnaire.questionsById.get(score.questionId) }))
    .sort((a, b) => Number(b.score.critical) - Number(a.score.critical) || b.score.priority - a.score.priority || (a.placed?.order ?? 0) - (b.placed?.order ?? 0))
    .map(({ score, placed }) => ({
      number: area.numbers.get(score.questionId) ?? score.questionId,
      questionText: placed?.question.text ?? same(score.questionId),
      sectionTitle: sectionTitle(questionnaire, score.sectionId),
      level: roundedLevel(score),
      target: score.target,
      gap: Math.round(score.gap * 10) / 10,
      weight: score.weight,
      critical: score.critical,
      priority: Math.round(score.priority * 10) / 10,
    }));
}

function criticalUnknownRows(area: ScoredArea): CriticalUnknownRow[] {
  return area.score.criticalUnknowns.map((id) => ({
    number: area.numbers.get(id) ?? id,
    areaTitle: area.title,
    questionText: area.assessment.questionnaire.questionsById.get(id)?.question.text ?? same(id),
  }));
}

/** The informational records (treaty status) and the unscored fields beside them (the date checked, other instruments). */
function informationRows(areas: readonly ScoredArea[], catalogue: Catalogue): InformationRow[] {
  return areas.flatMap((area) => {
    const { questionnaire, answers } = area.assessment;
    const visible = visibleQuestions(questionnaire, new Map([...answers].map(([id, answer]) => [id, answer.value])));
    return questionnaire.sections
      .filter((section) => section.questions.some((question) => isScored(question) && question.informational))
      .flatMap((section) => section.questions.filter((question) => visible.has(question.id) && (!isScored(question) || question.informational)).map((question): InformationRow => ({
        number: area.numbers.get(question.id) ?? question.id,
        areaTitle: area.title,
        questionText: question.text,
        answer: answerDisplay(question, answers.get(question.id), catalogue),
        note: freeText(answers.get(question.id)?.note, answers.get(question.id)?.noteLanguage),
      })));
  });
}

function areaView(area: ScoredArea, catalogue: Catalogue, language: ReportLanguage): AreaView {
  const questionnaire = area.assessment.questionnaire;
  const anchor = `area-${area.number}`;
  const sections = area.score.sections.map((section): SectionRow => ({
    title: sectionTitle(questionnaire, section.sectionId),
    score: scoreView(section.score, catalogue),
    capped: section.capped,
    coverage: coverageView(section.coverage),
  }));
  return {
    anchor,
    questionnaireId: questionnaire.id,
    findings: null,
    gapsAnchor: `${anchor}-gaps`,
    recommendationsAnchor: `${anchor}-recommendations`,
    number: area.number,
    title: area.title,
    fullTitle: questionnaire.title,
    description: questionnaire.description,
    score: scoreView(area.score.score, catalogue),
    coverage: coverageView(area.score.coverage),
    sections,
    chart: barChart(sections.map((section) => section.title), [{ values: area.score.sections.map((section) => section.score), className: 'band' }], language),
    gaps: gapRows(area),
    recommendations: area.ranked.map((ranked, index) => recommendationView(ranked, index + 1, area.numbers, area.title, catalogue)),
    unknowns: area.score.unknowns.length,
    capped: sections.filter((section) => section.capped).map((section) => section.title),
    provisional: area.score.provisional,
    criticalUnknowns: criticalUnknownRows(area),
  };
}

function alignmentViews(areas: readonly ScoredArea[], catalogue: Catalogue): AlignmentView[] {
  const all = areas.map((area) => area.assessment.questionnaire);
  return areas.flatMap((area) => area.assessment.questionnaire.questions.flatMap((placed): AlignmentView[] => {
    const question = placed.question;
    if (question.type !== 'alignment_table') return [];
    const score = area.score.questions.find((candidate) => candidate.questionId === question.id);
    if (score?.status === 'hidden') return [];
    const answer = area.assessment.answers.get(question.id);
    return [{
      number: area.numbers.get(question.id) ?? question.id,
      areaTitle: area.title,
      questionText: question.text,
      score: scoreView(score?.score ?? null, catalogue),
      rows: alignmentRows(question, answer?.value, catalogue, (ref) => seeView(ref, area.assessment.questionnaire, all)),
      references: referenceViews(question.references, catalogue),
      answered: score?.status === 'answered',
    }];
  }));
}

function evidenceGapRows(areas: readonly ScoredArea[]): EvidenceGapRow[] {
  const rows: EvidenceGapRow[] = [];
  for (const area of areas) {
    for (const score of area.score.questions) {
      const reason: EvidenceGapReason | null = score.status === 'unknown' ? 'unknown'
        : score.status === 'unanswered' ? 'unanswered'
        : score.undocumented ? 'undocumented'
        : null;
      if (!reason) continue;
      const question = area.assessment.questionnaire.questionsById.get(score.questionId)?.question;
      rows.push({
        number: area.numbers.get(score.questionId) ?? score.questionId,
        areaTitle: area.title,
        questionText: question?.text ?? same(score.questionId),
        reason,
        reasonText: both(`report:evidenceGaps.reason.${reason}`),
        askText: (question?.ask ?? []).map(institutionText),
      });
    }
  }
  const order: Record<EvidenceGapReason, number> = { unknown: 0, unanswered: 1, undocumented: 2 };
  return rows.sort((a, b) => order[a.reason] - order[b.reason]);
}

function annexArea(area: ScoredArea, catalogue: Catalogue, all: readonly Questionnaire[]): AnnexArea {
  const { questionnaire, answers } = area.assessment;
  const visible = visibleQuestions(questionnaire, new Map([...answers].map(([id, answer]) => [id, answer.value])));
  const scores = new Map(area.score.questions.map((score) => [score.questionId, score]));
  return {
    anchor: `annex-${area.number}`,
    number: area.number,
    title: area.title,
    sections: questionnaire.sections.map((section) => ({
      title: section.title,
      questions: section.questions.filter((question) => visible.has(question.id)).map((question): AnnexQuestion => {
        const answer = answers.get(question.id);
        const score = scores.get(question.id);
        return {
          number: area.numbers.get(question.id) ?? question.id,
          text: question.text,
          see: seeView(question.see, questionnaire, all),
          scored: isScored(question) && !question.informational,
          critical: isScored(question) && question.critical,
          answer: answerDisplay(question, answer, catalogue),
          level: score ? roundedLevel(score) : null,
          target: score?.target ?? null,
          evidence: answer?.evidence ? both(`vocabulary:evidence.${answer.evidence}`) : null,
          // The text question's answer is itself free text; its note, if any, is shown beside it.
          note: freeText(answer?.note, answer?.noteLanguage),
          source: freeText(answer?.source),
        };
      }),
    })).filter((section) => section.questions.length > 0),
  };
}

export function methodologyView(catalogue: Catalogue): MethodologyView {
  return {
    scale: (catalogue.scales.get('maturity')?.levels ?? []).map((entry) => ({ level: entry.level, label: entry.label, descriptor: entry.descriptor })),
    weakestLinkPercent: Math.round(WEAKEST_LINK_CAP * 100),
    documentedFromLevel: DOCUMENTED_FROM_LEVEL,
    yesPartialNo: { ...YES_PARTIAL_NO_LEVELS },
    alignment: { ...ALIGNMENT_LEVELS },
  };
}

export function glossaryRows(glossary: readonly GlossaryTerm[]): GlossaryRow[] {
  return [...glossary]
    .sort((a, b) => a.en.localeCompare(b.en, 'en'))
    .map((term) => ({ en: term.en, ru: term.ru }));
}

function strongestAndWeakest(areas: readonly AreaSummaryRow[]): { strongest: Text | null; weakest: Text | null } {
  const scored = areas.filter((area) => area.score.percent !== null);
  if (scored.length < 2) return { strongest: null, weakest: null };
  const sorted = [...scored].sort((a, b) => (b.score.percent ?? 0) - (a.score.percent ?? 0));
  return { strongest: sorted[0]?.title ?? null, weakest: sorted[sorted.length - 1]?.title ?? null };
}

export function buildCountryReport(input: CountryReportInput, language: ReportLanguage): CountryReportModel {
  const { catalogue } = input;
  const scored = scoreMission(input.assessments, catalogue, input.targets, FIRST_AREA_CHAPTER);
  const areas = scored.areas.map((area) => areaView(area, catalogue, language));
  const alignment = alignmentViews(scored.areas, catalogue);
  const evidenceGaps = evidenceGapRows(scored.areas);
  const questionnaires = scored.areas.map((area) => area.assessment.questionnaire);
  const annex = scored.areas.map((area) => annexArea(area, catalogue, questionnaires));
  const criticalUnknowns = scored.areas.flatMap(criticalUnknownRows);
  const topPriorities = mergeRanked(scored.areas.map((area) => area.ranked)).slice(0, TOP_PRIORITIES).map((ranked, index) => {
    const area = scored.areas.find((candidate) => candidate.assessment.questionnaire.id === ranked.questionnaireId);
    return recommendationView(ranked, index + 1, area?.numbers ?? new Map(), area?.title ?? same(ranked.questionnaireId), catalogue);
  });

  const summaryAreas = scored.areas.map((area, index): AreaSummaryRow => ({
    anchor: areas[index]?.anchor ?? '',
    number: area.number,
    title: area.title,
    score: scoreView(area.score.score, catalogue),
    coverage: coverageView(area.score.coverage),
    gaps: area.score.questions.filter(isGap).length,
    criticalGaps: area.score.questions.filter((q) => isGap(q) && q.critical).length,
    unknowns: area.score.unknowns.length,
  }));

  const chapters = {
    alignment: FIRST_AREA_CHAPTER + areas.length,
    evidenceGaps: FIRST_AREA_CHAPTER + areas.length + 1,
    annex: FIRST_AREA_CHAPTER + areas.length + 2,
    methodology: FIRST_AREA_CHAPTER + areas.length + 3,
    glossary: FIRST_AREA_CHAPTER + areas.length + 4,
  };
  const toc: TocEntry[] = [
    { anchor: 'summary', title: both('report:summary.title'), level: 1, number: '1' },
    { anchor: 'mission', title: both('report:mission.title'), level: 1, number: '2' },
    ...areas.flatMap((area): TocEntry[] => [
      { anchor: area.anchor, title: area.title, level: 1, number: String(area.number) },
      { anchor: area.gapsAnchor, title: both('report:area.gapsTitle'), level: 2, number: `${area.number}.1` },
      { anchor: area.recommendationsAnchor, title: both('report:area.recommendationsTitle'), level: 2, number: `${area.number}.2` },
    ]),
    { anchor: 'alignment', title: both('report:alignment.title'), level: 1, number: String(chapters.alignment) },
    { anchor: 'evidence-gaps', title: both('report:evidenceGaps.title'), level: 1, number: String(chapters.evidenceGaps) },
    { anchor: 'annex', title: both('report:annex.title'), level: 1, number: String(chapters.annex) },
    ...annex.map((area): TocEntry => ({ anchor: area.anchor, title: area.title, level: 2, number: `${chapters.annex}.${area.number - FIRST_AREA_CHAPTER + 1}` })),
    { anchor: 'methodology', title: both('report:methodology.title'), level: 1, number: String(chapters.methodology) },
    { anchor: 'glossary', title: both('report:glossary.title'), level: 1, number: String(chapters.glossary) },
  ];

  const title = both('report:country.documentTitle', { country: input.country.name });

  const model: CountryReportModel = {
    kind: 'country',
    meta: documentMeta('country', title, input, input.mission.isDemo, language),
    country: { code: input.country.code, name: input.country.name },
    mission: {
      ...missionView(input.mission),
      team: input.mission.team.map((member) => ({ name: member.name, role: freeText(member.role) })),
      institutionsMet: input.mission.institutionsMet.map((met) => ({ name: met.name, type: met.type ? institutionText(met.type) : null, date: met.date ?? null })),
      scopeText: both(`report:mission.scope.${input.mission.scope ?? 'full'}`),
      information: informationRows(scored.areas, catalogue),
      columns: {
        role: input.mission.team.some((member) => Boolean(member.role)),
        type: input.mission.institutionsMet.some((met) => met.type !== undefined),
        date: input.mission.institutionsMet.some((met) => Boolean(met.date)),
      },
    },
    toc,
    summary: {
      overall: scoreView(scored.country.score, catalogue),
      coverage: coverageView(scored.country.coverage),
      areas: summaryAreas,
      chart: areaChart(scored.areas.map((area) => ({ label: area.title, score: area.score.score })), language),
      topPriorities,
      figures: {
        gaps: summaryAreas.reduce((sum, area) => sum + area.gaps, 0),
        criticalGaps: summaryAreas.reduce((sum, area) => sum + area.criticalGaps, 0),
        criticalUnknowns: criticalUnknowns.length,
        evidenceGaps: evidenceGaps.length,
        recommendations: areas.reduce((sum, area) => sum + area.recommendations.length, 0),
      },
      ...strongestAndWeakest(summaryAreas),
      criticalUnknowns,
      provisional: scored.country.provisional,
    },
    narrative: { summary: null, context: null, methodology: null },
    areas,
    alignment,
    evidenceGaps,
    annex,
    methodology: methodologyView(catalogue),
    glossary: glossaryRows(catalogue.glossary),
  };
  const status = reportStatusOf(input);
  return input.draft && status ? applyDraft(model, input.draft, TOP_PRIORITIES, status) : model;
}
