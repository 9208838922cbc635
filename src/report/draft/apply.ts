/**
 * The report draft laid over the generated country report model: the team's texts replace the generated
 * sentences, recommendations print as edited (dropped, merged and gap-closed ones are left out, custom
 * ones join the area of their first indicator), and every page says whether this is a draft, which
 * approved version, or an approved version it no longer is (decided by status.ts). Pure: model and draft in, model out.
 */
import { INSTITUTIONS, PRIORITIES, TIMEFRAMES, type Priority, type Timeframe } from '../../questionnaire/vocabulary.js';
import type { DraftRecommendationInput, ReportDraftInput } from '../input.js';
import { both, institutionText, priorityText, same, type RecommendationView, type ReportStatus, type Text } from '../model/common.js';
import type { AreaView, CountryReportModel } from '../model/country.js';

/** Keys of the narrative texts; findings per area are `findings.<questionnaire id>`. */
export const TEXT_KEYS = { summary: 'executive-summary', context: 'country-context', methodology: 'methodology' } as const;
export const findingsKey = (questionnaireId: string): string => `findings.${questionnaireId}`;

const printed = (rec: DraftRecommendationInput): boolean => rec.status === 'accepted' || rec.status === 'edited';

const isPriority = (value: string): value is Priority => (PRIORITIES as readonly string[]).includes(value);
const isTimeframe = (value: string): value is Timeframe => (TIMEFRAMES as readonly string[]).includes(value);
const isInstitution = (value: string): value is (typeof INSTITUTIONS)[number] => (INSTITUTIONS as readonly string[]).includes(value);

const institutionLabel = (name: string): Text => (isInstitution(name) ? institutionText(name) : same(name));

type TeamFields = Pick<RecommendationView, 'text' | 'priority' | 'priorityText' | 'timeframe' | 'timeframeText' | 'institutions' | 'responsible'>;

/** What the team sets on a recommendation (wording, priority, timeframe, institutions), as the report prints it. */
function teamFields(rec: DraftRecommendationInput, fallback: { priority: Priority; timeframe: Timeframe }): TeamFields {
  const priority = isPriority(rec.priority) ? rec.priority : fallback.priority;
  const timeframe = isTimeframe(rec.timeframe) ? rec.timeframe : fallback.timeframe;
  return {
    text: { en: rec.text.en, ru: rec.text.ru },
    priority,
    priorityText: priorityText(priority),
    timeframe,
    timeframeText: both(`vocabulary:timeframe.${timeframe}`),
    institutions: [...rec.institution],
    responsible: rec.institution.map(institutionLabel),
  };
}

/** A generated view with the draft's wording and priorities. */
function edited(view: RecommendationView, rec: DraftRecommendationInput): RecommendationView {
  return { ...view, ...teamFields(rec, view) };
}

function customView(rec: DraftRecommendationInput, area: AreaView | undefined, references: RecommendationView['references']): RecommendationView {
  return {
    rank: 0,
    key: `custom/${rec.id}`,
    ...teamFields(rec, { priority: 'medium', timeframe: 'medium' }),
    indicators: [...rec.indicators],
    references,
    questionNumber: '',
    questionText: same(''),
    areaTitle: area?.title ?? same(''),
    critical: false,
    level: null,
    target: 0,
  };
}

const priorityRank: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** Stable: a re-prioritised recommendation moves, the generated order decides among equals. */
const byPriority = (list: RecommendationView[]): RecommendationView[] =>
  list.map((view, index) => ({ view, index }))
    .sort((a, b) => priorityRank[a.view.priority] - priorityRank[b.view.priority] || a.index - b.index)
    .map(({ view }, index) => ({ ...view, rank: index + 1 }));

/** `status`: what the report may say it is (status.ts#reportStatusOf). */
export function applyDraft(model: CountryReportModel, draft: ReportDraftInput, topCount: number, status: ReportStatus): CountryReportModel {
  const bySource = new Map(draft.recommendations.filter((rec) => rec.sourceKey !== null).map((rec) => [rec.sourceKey as string, rec]));
  const overlay = (views: readonly RecommendationView[]): RecommendationView[] => views.flatMap((view) => {
    const rec = bySource.get(view.key);
    if (!rec) return [view];
    return printed(rec) ? [edited(view, rec)] : [];
  });
  const referenceLookup = new Map(model.areas.flatMap((area) => area.recommendations.flatMap((rec) => rec.references)).map((ref) => [ref.id, ref]));
  const customs = draft.recommendations.filter((rec) => rec.origin === 'custom' && printed(rec));
  const homeOf = (rec: DraftRecommendationInput): AreaView | undefined => {
    const questionnaireId = rec.indicators[0]?.split('/')[0];
    return model.areas.find((area) => area.questionnaireId === questionnaireId) ?? model.areas[0];
  };
  const customViews = new Map(customs.map((rec) => {
    const area = homeOf(rec);
    return [rec, customView(rec, area, rec.references.map((id) => referenceLookup.get(id) ?? { id, label: same(id), title: same(id) }))] as const;
  }));

  const text = (key: string): Text | null => {
    const found = draft.texts.find((entry) => entry.key === key);
    return found && (found.en.trim() !== '' || found.ru.trim() !== '') ? { en: found.en, ru: found.ru } : null;
  };

  const areas = model.areas.map((area): AreaView => ({
    ...area,
    findings: text(findingsKey(area.questionnaireId)),
    recommendations: byPriority([...overlay(area.recommendations), ...customs.filter((rec) => homeOf(rec) === area).map((rec) => customViews.get(rec) as RecommendationView)]),
  }));
  const top = overlay(model.summary.topPriorities);
  for (const view of customViews.values()) if (top.length < topCount && view.priority === 'high') top.push(view);

  return {
    ...model,
    meta: {
      ...model.meta,
      status,
    },
    narrative: { summary: text(TEXT_KEYS.summary), context: text(TEXT_KEYS.context), methodology: text(TEXT_KEYS.methodology) },
    summary: {
      ...model.summary,
      topPriorities: top.slice(0, topCount).map((view, index) => ({ ...view, rank: index + 1 })),
      figures: { ...model.summary.figures, recommendations: areas.reduce((sum, area) => sum + area.recommendations.length, 0) },
    },
    areas,
  };
}
