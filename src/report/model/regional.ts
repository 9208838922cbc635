/**
 * The regional report model: several countries side by side, the gaps they share and the
 * recommendations a regional workshop can take up together. Pure.
 */
import type { Catalogue } from '../../questionnaire/model.js';
import type { RegionalReportInput, ReportLanguage } from '../input.js';
import {
  both, documentMeta, mergeRanked, missionView, priorityText, recommendationKey, recommendationView, same,
  scoreView, type DocumentMeta, type MissionView, type RecommendationView, type ReferenceView, type ScoreView, type Text, type TocEntry,
} from './common.js';
import { barChart, type BarChart } from './charts.js';
import { coverageView, methodologyView, type CoverageView, type MethodologyView } from './country.js';
import { scoreMission, type ScoredMission } from './scored.js';
import { regionalScopeNotice, scopeOf, scopesDiffer, scopeView, type ScopeView } from './scope.js';
import type { Priority } from '../../questionnaire/vocabulary.js';

export const MAX_COMMON_GAPS = 30;
export const MAX_REGIONAL_RECOMMENDATIONS = 25;
export const PROFILE_PRIORITIES = 3;

export interface RegionalCountryRow {
  code: string;
  name: Text;
  mission: MissionView;
  scope: ScopeView;
  overall: ScoreView;
  /** Only when the missions' scopes differ: the overall score over the core indicators alone, like for like. */
  coreOverall: ScoreView | null;
  coverage: CoverageView;
}

export interface HeatmapRow {
  title: Text;
  cells: ScoreView[];
}

export interface CommonGapRow {
  rank: number;
  areaTitle: Text;
  questionText: Text;
  countries: string[];
  count: number;
  meanGap: number;
  critical: boolean;
}

export interface RegionalRecommendation {
  rank: number;
  text: Text;
  priority: Priority;
  priorityText: Text;
  timeframeText: Text;
  responsible: Text[];
  references: ReferenceView[];
  areaTitle: Text;
  questionText: Text;
  countries: string[];
  count: number;
}

export interface CountryProfile {
  anchor: string;
  code: string;
  name: Text;
  mission: MissionView;
  scope: ScopeView;
  overall: ScoreView;
  coverage: CoverageView;
  chart: BarChart;
  topPriorities: RecommendationView[];
  figures: { gaps: number; criticalGaps: number; unknowns: number };
}

export interface RegionalReportModel {
  kind: 'regional';
  meta: DocumentMeta;
  toc: TocEntry[];
  countries: RegionalCountryRow[];
  /** Set when the countries' missions had different scopes: printed beside the comparison. */
  scopeNotice: Text | null;
  heatmap: { columns: { code: string; name: Text }[]; rows: HeatmapRow[]; overall: ScoreView[] };
  commonGaps: CommonGapRow[];
  recommendations: RegionalRecommendation[];
  profiles: CountryProfile[];
  methodology: MethodologyView;
}

interface AreaKey {
  id: string;
  title: Text;
}

function areaKeys(missions: readonly ScoredMission[]): AreaKey[] {
  const keys = new Map<string, AreaKey>();
  for (const mission of missions) {
    for (const area of mission.areas) {
      const id = area.assessment.questionnaire.id;
      if (!keys.has(id)) keys.set(id, { id, title: area.title });
    }
  }
  return [...keys.values()];
}

function commonGaps(codes: readonly string[], missions: readonly ScoredMission[]): CommonGapRow[] {
  const gaps = new Map<string, Omit<CommonGapRow, 'rank' | 'count' | 'meanGap'> & { gapSum: number; prioritySum: number; order: number }>();
  missions.forEach((mission, c) => {
    for (const area of mission.areas) {
      for (const score of area.score.questions) {
        if (score.status !== 'answered' || score.gap <= 0) continue;
        const key = `${area.assessment.questionnaire.id}/${score.questionId}`;
        const placed = area.assessment.questionnaire.questionsById.get(score.questionId);
        const entry = gaps.get(key) ?? {
          areaTitle: area.title, questionText: placed?.question.text ?? same(score.questionId), countries: [], critical: score.critical,
          gapSum: 0, prioritySum: 0, order: gaps.size,
        };
        entry.countries.push(codes[c] ?? '');
        entry.gapSum += score.gap;
        entry.prioritySum += score.priority;
        gaps.set(key, entry);
      }
    }
  });
  return [...gaps.values()]
    .sort((a, b) => b.countries.length - a.countries.length || Number(b.critical) - Number(a.critical) || b.prioritySum - a.prioritySum || a.order - b.order)
    .slice(0, MAX_COMMON_GAPS)
    .map(({ gapSum, prioritySum: _prioritySum, order: _order, ...entry }, index) => ({
      ...entry, rank: index + 1, count: entry.countries.length, meanGap: Math.round((gapSum / entry.countries.length) * 10) / 10,
    }));
}

function regionalRecommendations(codes: readonly string[], missions: readonly ScoredMission[], catalogue: Catalogue): RegionalRecommendation[] {
  const shared = new Map<string, { view: RecommendationView; countries: string[]; position: number }>();
  missions.forEach((mission, c) => {
    mergeRanked(mission.areas.map((area) => area.ranked)).forEach((ranked, position) => {
      const key = recommendationKey(ranked);
      const area = mission.areas.find((candidate) => candidate.assessment.questionnaire.id === ranked.questionnaireId);
      const entry = shared.get(key) ?? {
        view: recommendationView(ranked, 0, area?.numbers ?? new Map(), area?.title ?? same(ranked.questionnaireId), catalogue),
        countries: [],
        position,
      };
      entry.countries.push(codes[c] ?? '');
      entry.position = Math.min(entry.position, position);
      shared.set(key, entry);
    });
  });
  const minimum = Math.min(2, missions.length);
  const priorityRank: Record<Priority, number> = { high: 0, medium: 1, low: 2 };
  return [...shared.values()]
    .filter((entry) => entry.countries.length >= minimum)
    .sort((a, b) => b.countries.length - a.countries.length || priorityRank[a.view.priority] - priorityRank[b.view.priority] || a.position - b.position)
    .slice(0, MAX_REGIONAL_RECOMMENDATIONS)
    .map((entry, index) => ({
      rank: index + 1,
      text: entry.view.text,
      priority: entry.view.priority,
      priorityText: priorityText(entry.view.priority),
      timeframeText: entry.view.timeframeText,
      responsible: entry.view.responsible,
      references: entry.view.references,
      areaTitle: entry.view.areaTitle,
      questionText: entry.view.questionText,
      countries: entry.countries,
      count: entry.countries.length,
    }));
}

export function buildRegionalReport(input: RegionalReportInput, language: ReportLanguage): RegionalReportModel {
  const { catalogue } = input;
  const missions = input.countries.map((entry) => scoreMission(entry.assessments, catalogue, entry.targets));
  const codes = input.countries.map((entry) => entry.country.code);
  const areas = areaKeys(missions);
  const scopes = input.countries.map((entry) => scopeOf(entry.mission));
  const mixed = scopesDiffer(scopes);
  // Like for like: every mission over the core indicators, the questions all of them asked.
  const coreMissions = mixed ? input.countries.map((entry) => scoreMission(entry.assessments, catalogue, entry.targets, 1, 'core')) : null;

  const profiles = input.countries.map((entry, c): CountryProfile => {
    const mission = missions[c] as ScoredMission;
    const gaps = mission.areas.flatMap((area) => area.score.questions.filter((q) => q.status === 'answered' && q.gap > 0));
    return {
      anchor: `profile-${entry.country.code.toLowerCase()}`,
      code: entry.country.code,
      name: entry.country.name,
      mission: missionView(entry.mission),
      scope: scopeView(scopes[c] ?? 'full'),
      overall: scoreView(mission.country.score, catalogue),
      coverage: coverageView(mission.country.coverage),
      chart: barChart(mission.areas.map((area) => area.title), [{ values: mission.areas.map((area) => area.score.score), className: 'band' }], language),
      topPriorities: mergeRanked(mission.areas.map((area) => area.ranked)).slice(0, PROFILE_PRIORITIES).map((ranked, index) => {
        const area = mission.areas.find((candidate) => candidate.assessment.questionnaire.id === ranked.questionnaireId);
        return recommendationView(ranked, index + 1, area?.numbers ?? new Map(), area?.title ?? same(ranked.questionnaireId), catalogue);
      }),
      figures: { gaps: gaps.length, criticalGaps: gaps.filter((q) => q.critical).length, unknowns: mission.country.unknowns.length },
    };
  });

  const title = input.title ?? both('report:regional.defaultTitle');
  const demo = input.countries.some((entry) => entry.mission.isDemo);
  return {
    kind: 'regional',
    meta: documentMeta('regional', title, input, demo, language),
    toc: [
      { anchor: 'overview', title: both('report:regional.overviewTitle'), level: 1, number: '1' },
      { anchor: 'common-gaps', title: both('report:regional.commonGapsTitle'), level: 1, number: '2' },
      { anchor: 'regional-recommendations', title: both('report:regional.recommendationsTitle'), level: 1, number: '3' },
      { anchor: 'profiles', title: both('report:regional.profilesTitle'), level: 1, number: '4' },
      ...profiles.map((profile, index): TocEntry => ({ anchor: profile.anchor, title: profile.name, level: 2, number: `4.${index + 1}` })),
      { anchor: 'methodology', title: both('report:methodology.title'), level: 1, number: '5' },
    ],
    countries: profiles.map((profile, c) => ({
      code: profile.code, name: profile.name, mission: profile.mission, scope: profile.scope, overall: profile.overall,
      coreOverall: coreMissions ? scoreView(coreMissions[c]?.country.score ?? null, catalogue) : null, coverage: profile.coverage,
    })),
    scopeNotice: regionalScopeNotice(profiles.map((profile) => ({ code: profile.code, scope: profile.scope.scope }))),
    heatmap: {
      columns: input.countries.map((entry) => ({ code: entry.country.code, name: entry.country.name })),
      rows: areas.map((area) => ({
        title: area.title,
        cells: missions.map((mission) => scoreView(mission.areas.find((candidate) => candidate.assessment.questionnaire.id === area.id)?.score.score ?? null, catalogue)),
      })),
      overall: missions.map((mission) => scoreView(mission.country.score, catalogue)),
    },
    commonGaps: commonGaps(codes, missions),
    recommendations: regionalRecommendations(codes, missions, catalogue),
    profiles,
    methodology: methodologyView(catalogue),
  };
}
