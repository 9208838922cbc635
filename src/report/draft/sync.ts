/**
 * Keeps a report draft in step with the scores. The generated content (texts and recommendations) is
 * read off the country report model; the plan says what to insert, refresh, remove or flag. The rules:
 * what nobody touched follows the scores; what someone edited is never deleted or overwritten — when
 * its gap closes it is flagged "gap-closed" for review, and a new gap adds a new generated
 * recommendation. Pure: model and draft in, plan out (src/storage/reportDrafts.ts writes it).
 */
import { translator, type Language } from '../../i18n/i18n.js';
import type { DraftDto, GeneratedRecommendationInput, GeneratedTextInput, SyncPlan } from '../../storage/reportDrafts.js';
import { formatPercent } from '../model/charts.js';
import type { Text } from '../model/common.js';
import type { CountryReportModel } from '../model/country.js';
import { TEXT_KEYS, findingsKey } from './apply.js';

const translators = { en: translator('en'), ru: translator('ru') };
const dateFormats: Record<Language, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  ru: new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
};
const day = (iso: string, lang: Language): string => {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : dateFormats[lang].format(date);
};

function inBoth(write: (t: (key: string, params?: Record<string, unknown>) => string, lang: Language) => string): Text {
  return { en: write(translators.en, 'en'), ru: write(translators.ru, 'ru') };
}

/** The generated narrative texts: the sentences a report prints when nobody has written its own. */
export function generatedTexts(model: CountryReportModel): GeneratedTextInput[] {
  const { summary, mission, country } = model;
  const texts: GeneratedTextInput[] = [
    {
      key: TEXT_KEYS.summary,
      text: inBoth((t, lang) => [
        t('report:summary.lead', { country: country.name[lang], from: day(mission.startsOn, lang), to: day(mission.endsOn, lang), areas: summary.areas.length, answered: summary.coverage.answered, applicable: summary.coverage.applicable }),
        summary.overall.label ? t('report:summary.overallSentence', { level: summary.overall.level, label: summary.overall.label[lang], percent: formatPercent(summary.overall.percent, lang) }) : '',
        summary.strongest && summary.weakest ? t('report:summary.strongestWeakest', { strongest: summary.strongest[lang], weakest: summary.weakest[lang] }) : '',
        t('report:summary.recommendationsSentence', { count: summary.figures.recommendations, top: summary.topPriorities.length }),
      ].filter(Boolean).join('\n\n')),
    },
    {
      key: TEXT_KEYS.context,
      text: inBoth((t, lang) => t('workspace:generated.context', { title: mission.title, country: country.name[lang], from: day(mission.startsOn, lang), to: day(mission.endsOn, lang), count: mission.institutionsMet.length })),
    },
    {
      key: TEXT_KEYS.methodology,
      text: inBoth((t, lang) => t('workspace:generated.methodology', { areas: model.areas.map((area) => `“${area.title[lang]}”`).join(', ') })),
    },
  ];
  for (const area of model.areas) {
    texts.push({
      key: findingsKey(area.questionnaireId),
      text: inBoth((t, lang) => [
        area.score.percent === null ? t('workspace:generated.findingsUnscored', { area: area.title[lang] })
          : t('workspace:generated.findings', { area: area.title[lang], percent: formatPercent(area.score.percent, lang), label: area.score.label?.[lang] ?? '—' }),
        t('workspace:generated.findingsGaps', { count: area.gaps.length, critical: area.gaps.filter((gap) => gap.critical).length }),
        area.capped.length > 0 ? t('workspace:generated.findingsCapped', { sections: area.capped.map((title) => `“${title[lang]}”`).join(', ') }) : '',
      ].filter(Boolean).join(' ')),
    });
  }
  return texts;
}

/** Every recommendation the scores call for, once each, in report order. */
export function generatedRecommendations(model: CountryReportModel): GeneratedRecommendationInput[] {
  const seen = new Set<string>();
  return model.areas.flatMap((area) => area.recommendations).flatMap((view) => {
    if (seen.has(view.key)) return [];
    seen.add(view.key);
    return [{
      sourceKey: view.key, text: { en: view.text.en, ru: view.text.ru }, priority: view.priority, timeframe: view.timeframe,
      institution: [...view.institutions], indicators: [...view.indicators], references: view.references.map((ref) => ref.id),
    }];
  });
}

const sameContent = (a: GeneratedRecommendationInput, b: GeneratedRecommendationInput): boolean => JSON.stringify(a) === JSON.stringify(b);

export function planSync(draft: Pick<DraftDto, 'texts' | 'recommendations'> | null, texts: readonly GeneratedTextInput[], recommendations: readonly GeneratedRecommendationInput[]): SyncPlan {
  const plan: SyncPlan = { insertTexts: [], refreshTexts: [], insertRecommendations: [], refreshRecommendations: [], removeRecommendations: [], closeRecommendations: [], reopenRecommendations: [] };
  const existingTexts = new Map((draft?.texts ?? []).map((text) => [text.key, text]));
  for (const text of texts) {
    const current = existingTexts.get(text.key);
    if (!current) plan.insertTexts.push(text);
    else if (current.origin === 'generated' && (current.en !== text.text.en || current.ru !== text.text.ru)) plan.refreshTexts.push(text);
  }
  const wanted = new Map(recommendations.map((rec) => [rec.sourceKey, rec]));
  const present = new Set<string>();
  for (const rec of draft?.recommendations ?? []) {
    if (rec.origin !== 'generated' || rec.sourceKey === null) continue;
    present.add(rec.sourceKey);
    const generated = wanted.get(rec.sourceKey);
    if (generated) {
      if (rec.status === 'gap-closed') plan.reopenRecommendations.push(rec.id);
      else if (rec.status === 'accepted') {
        const current: GeneratedRecommendationInput = { sourceKey: rec.sourceKey, text: rec.text, priority: rec.priority, timeframe: rec.timeframe, institution: rec.institution, indicators: rec.indicators, references: rec.references };
        if (!sameContent(current, generated)) plan.refreshRecommendations.push({ ...generated, id: rec.id });
      }
    } else if (rec.status === 'accepted') plan.removeRecommendations.push(rec.id);
    else if (rec.status === 'edited') plan.closeRecommendations.push(rec.id);
    // Dropped ones stay dropped; gap-closed ones stay flagged.
  }
  for (const rec of recommendations) if (!present.has(rec.sourceKey)) plan.insertRecommendations.push(rec);
  return plan;
}
