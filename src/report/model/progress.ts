/**
 * The progress report model: a baseline mission against a follow-up mission of the same country —
 * what improved, what did not, which recommendations were closed and which are still open. Pure.
 */
import type { Catalogue } from '../../questionnaire/model.js';
import type { QuestionScore } from '../../scoring/score.js';
import type { ProgressReportInput, ReportLanguage } from '../input.js';
import {
  both, documentMeta, mergeRanked, missionView, recommendationKey, recommendationView, roundedLevel, same, scoreView,
  type DocumentMeta, type MissionView, type RecommendationView, type ScoreView, type Text, type TocEntry,
} from './common.js';
import { barChart, formatPercent, type BarChart } from './charts.js';
import { methodologyView, type MethodologyView } from './country.js';
import { scoreMission, type ScoredArea, type ScoredMission } from './scored.js';
import { commonScope, progressScopeNotice, scopeOf, scopeView, type ScopeView } from './scope.js';
import type { Scope } from '../../questionnaire/vocabulary.js';

/** Changes smaller than this many percentage points count as unchanged. */
export const UNCHANGED_WITHIN = 1;

export type Direction = 'up' | 'down' | 'same' | 'new' | 'gone';

export interface AreaProgressRow {
  title: Text;
  baseline: ScoreView;
  followUp: ScoreView;
  /** Percentage points, follow-up minus baseline. */
  delta: number | null;
  direction: Direction;
}

export interface QuestionChange {
  number: string;
  areaTitle: Text;
  questionText: Text;
  from: number | null;
  to: number | null;
  target: number;
  critical: boolean;
}

export interface ProgressReportModel {
  kind: 'progress';
  meta: DocumentMeta;
  toc: TocEntry[];
  country: { code: string; name: Text };
  baseline: MissionView;
  followUp: MissionView;
  scopes: {
    baseline: ScopeView;
    followUp: ScopeView;
    /** The questions every score of this report is computed over: the core set when one mission was core. */
    compared: Scope;
    /** Set when the two missions' scopes differ. */
    notice: Text | null;
  };
  overall: { baseline: ScoreView; followUp: ScoreView; delta: number | null; direction: Direction };
  areas: AreaProgressRow[];
  chart: BarChart;
  improved: QuestionChange[];
  worsened: QuestionChange[];
  stillBelowTarget: QuestionChange[];
  recommendations: { closed: RecommendationView[]; open: RecommendationView[]; added: RecommendationView[] };
  methodology: MethodologyView;
}

function direction(from: number | null, to: number | null): { delta: number | null; direction: Direction } {
  if (from === null && to === null) return { delta: null, direction: 'same' };
  if (from === null) return { delta: null, direction: 'new' };
  if (to === null) return { delta: null, direction: 'gone' };
  const delta = Math.round((to - from) * 100);
  return { delta, direction: Math.abs(delta) < UNCHANGED_WITHIN ? 'same' : delta > 0 ? 'up' : 'down' };
}

const areaOf = (mission: ScoredMission, id: string): ScoredArea | undefined => mission.areas.find((area) => area.assessment.questionnaire.id === id);

function questionChanges(baseline: ScoredMission, followUp: ScoredMission): { improved: QuestionChange[]; worsened: QuestionChange[]; stillBelowTarget: QuestionChange[] } {
  const improved: QuestionChange[] = [];
  const worsened: QuestionChange[] = [];
  const stillBelowTarget: QuestionChange[] = [];
  for (const area of followUp.areas) {
    const before = areaOf(baseline, area.assessment.questionnaire.id);
    const beforeScores = new Map<string, QuestionScore>((before?.score.questions ?? []).map((score) => [score.questionId, score]));
    for (const score of area.score.questions) {
      if (score.status !== 'answered') continue;
      const previous = beforeScores.get(score.questionId);
      const from = previous?.status === 'answered' ? roundedLevel(previous) : null;
      const change: QuestionChange = {
        number: area.numbers.get(score.questionId) ?? score.questionId,
        areaTitle: area.title,
        questionText: area.assessment.questionnaire.questionsById.get(score.questionId)?.question.text ?? same(score.questionId),
        from,
        to: roundedLevel(score),
        target: score.target,
        critical: score.critical,
      };
      // Compared as printed (one decimal): an exact 2.25 against a rounded 2.3 once listed the same answer as worsened.
      const level = change.to ?? 0;
      if (from !== null && level > from) improved.push(change);
      else if (from !== null && level < from) worsened.push(change);
      else if (score.gap > 0) stillBelowTarget.push(change);
    }
  }
  return { improved, worsened, stillBelowTarget };
}

function recommendationsOf(mission: ScoredMission, catalogue: Catalogue): Map<string, RecommendationView> {
  const views = new Map<string, RecommendationView>();
  mergeRanked(mission.areas.map((area) => area.ranked)).forEach((ranked, index) => {
    const area = areaOf(mission, ranked.questionnaireId);
    const key = recommendationKey(ranked);
    if (!views.has(key)) views.set(key, recommendationView(ranked, index + 1, area?.numbers ?? new Map(), area?.title ?? same(ranked.questionnaireId), catalogue));
  });
  return views;
}

const renumber = (views: RecommendationView[]): RecommendationView[] => views.map((view, index) => ({ ...view, rank: index + 1 }));

export function buildProgressReport(input: ProgressReportInput, language: ReportLanguage): ProgressReportModel {
  const { catalogue } = input;
  const baselineScope = scopeOf(input.baseline.mission);
  const followUpScope = scopeOf(input.followUp.mission);
  // Both missions over the questions both asked, so a change of score is a change of capacity, not of scope.
  const compared = commonScope([baselineScope, followUpScope]);
  const baseline = scoreMission(input.baseline.assessments, catalogue, input.targets, 1, compared);
  const followUp = scoreMission(input.followUp.assessments, catalogue, input.targets, 1, compared);
  // The full-scope mission's own overall score (the figure of its country report), named in the notice.
  const fullMission = baselineScope === followUpScope ? null : baselineScope === 'full' ? input.baseline : input.followUp;
  const ownPercent = fullMission ? scoreView(scoreMission(fullMission.assessments, catalogue, input.targets).country.score, catalogue).percent : null;

  const areaIds = [...new Set([...followUp.areas, ...baseline.areas].map((area) => area.assessment.questionnaire.id))];
  const areas = areaIds.map((id): AreaProgressRow => {
    const before = areaOf(baseline, id);
    const after = areaOf(followUp, id);
    return {
      title: (after ?? before)?.title ?? same(id),
      baseline: scoreView(before?.score.score ?? null, catalogue),
      followUp: scoreView(after?.score.score ?? null, catalogue),
      ...direction(before?.score.score ?? null, after?.score.score ?? null),
    };
  });

  const before = recommendationsOf(baseline, catalogue);
  const after = recommendationsOf(followUp, catalogue);
  const title = both('report:progress.documentTitle', { country: input.country.name });
  return {
    kind: 'progress',
    meta: documentMeta('progress', title, input, input.baseline.mission.isDemo || input.followUp.mission.isDemo, language),
    toc: [
      { anchor: 'progress-overview', title: both('report:progress.overviewTitle'), level: 1, number: '1' },
      { anchor: 'progress-changes', title: both('report:progress.changesTitle'), level: 1, number: '2' },
      { anchor: 'progress-recommendations', title: both('report:progress.recommendationsTitle'), level: 1, number: '3' },
      { anchor: 'methodology', title: both('report:methodology.title'), level: 1, number: '4' },
    ],
    country: { code: input.country.code, name: input.country.name },
    baseline: missionView(input.baseline.mission),
    followUp: missionView(input.followUp.mission),
    scopes: {
      baseline: scopeView(baselineScope),
      followUp: scopeView(followUpScope),
      compared,
      notice: progressScopeNotice(baselineScope, followUpScope, { en: formatPercent(ownPercent, 'en'), ru: formatPercent(ownPercent, 'ru') }),
    },
    overall: {
      baseline: scoreView(baseline.country.score, catalogue),
      followUp: scoreView(followUp.country.score, catalogue),
      ...direction(baseline.country.score, followUp.country.score),
    },
    areas,
    chart: barChart(areas.map((area) => area.title), [
      { values: areaIds.map((id) => areaOf(baseline, id)?.score.score ?? null), className: 'baseline', legend: both('report:progress.baseline') },
      { values: areaIds.map((id) => areaOf(followUp, id)?.score.score ?? null), className: 'follow-up', legend: both('report:progress.followUp') },
    ], language),
    ...questionChanges(baseline, followUp),
    recommendations: {
      closed: renumber([...before].filter(([key]) => !after.has(key)).map(([, view]) => view)),
      open: renumber([...after].filter(([key]) => before.has(key)).map(([, view]) => view)),
      added: renumber([...after].filter(([key]) => !before.has(key)).map(([, view]) => view)),
    },
    methodology: methodologyView(catalogue),
  };
}
