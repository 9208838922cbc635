/**
 * What stands between a draft and its approval: every narrative text and every printed recommendation
 * must be written, and not waiting for a translation, in each language being published. Pure.
 */
import type { ProblemDetail } from '../../shared/problem.js';
import type { DraftDto } from '../../storage/reportDrafts.js';
import type { ReportLanguage } from '../input.js';

export function publishedLanguages(languages: readonly ReportLanguage[]): ('en' | 'ru')[] {
  const set = new Set<'en' | 'ru'>();
  for (const language of languages) {
    if (language === 'en' || language === 'bilingual') set.add('en');
    if (language === 'ru' || language === 'bilingual') set.add('ru');
  }
  return [...set];
}

const languageName = { en: 'English', ru: 'Russian' } as const;

export function finalizeProblems(draft: Pick<DraftDto, 'texts' | 'recommendations'>, languages: readonly ReportLanguage[]): ProblemDetail[] {
  const details: ProblemDetail[] = [];
  for (const lang of publishedLanguages(languages)) {
    for (const text of draft.texts) {
      if (text[lang].trim() === '') details.push({ path: `texts.${text.key}.${lang}`, message: `the ${languageName[lang]} text is empty: write it` });
      else if (text.translation[lang] === 'needs-update') details.push({ path: `texts.${text.key}.${lang}`, message: `the ${languageName[lang]} text needs an update after the other language was edited: edit or confirm it` });
    }
    for (const rec of draft.recommendations) {
      if (rec.status !== 'accepted' && rec.status !== 'edited') continue;
      if (rec.text[lang].trim() === '') details.push({ path: `recommendations.${rec.id}.${lang}`, message: `the ${languageName[lang]} text is empty: write it` });
      else if (rec.translation[lang] === 'needs-update') details.push({ path: `recommendations.${rec.id}.${lang}`, message: `the ${languageName[lang]} text needs an update after the other language was edited: edit or confirm it` });
    }
  }
  return details;
}
