/**
 * Regional and progress reports as Word documents: the same chapters as their PDFs (heading styles,
 * tables, recommendations), so `ena report regional|progress --format docx` gives an editable file.
 * Pure: model in, bytes out.
 */
import { Paragraph, TextRun } from 'docx';
import { statusLine } from '../html.js';
import { formatPercent } from '../model/charts.js';
import type { ScoreView, Text } from '../model/common.js';
import type { ProgressReportModel } from '../model/progress.js';
import type { RegionalReportModel } from '../model/regional.js';
import { coverBlocks, packDocument, recommendation, Writer, type Block } from './render.js';

const pct = (score: ScoreView): string => formatPercent(score.percent, 'en');
const chapter = (toc: readonly { anchor: string; number: string }[], anchor: string): string => toc.find((entry) => entry.anchor === anchor)?.number ?? '';
const statusOf = (meta: RegionalReportModel['meta']): Text | null => (meta.status ? { en: statusLine(meta.status, 'en'), ru: statusLine(meta.status, 'ru') } : null);

function methodology(w: Writer, model: RegionalReportModel | ProgressReportModel): Block[] {
  return [
    w.heading(1, chapter(model.toc, 'methodology'), w.tr('report:methodology.title')),
    ...w.text(w.tr('report:methodology.intro')),
    w.table([w.tr('common:level'), w.tr('report:methodology.label'), w.tr('report:methodology.descriptor')],
      model.methodology.scale.map((entry) => [String(entry.level), entry.label, entry.descriptor])),
  ];
}

export async function renderRegionalDocx(model: RegionalReportModel): Promise<Uint8Array> {
  const w = new Writer(model.meta.language);
  const body: Block[] = [...coverBlocks(w, model.meta, model.countries.map((country) => country.code).join(', '))];
  body.push(w.heading(1, chapter(model.toc, 'overview'), w.tr('report:regional.overviewTitle')));
  if (model.scopeNotice) body.push(...w.text(model.scopeNotice, { bold: true }));
  const mixed = model.scopeNotice !== null;
  body.push(w.table([w.tr('report:mission.country'), w.tr('report:mission.name'), w.tr('report:mission.scopeLabel'), w.tr('common:score'), ...(mixed ? [w.tr('report:regional.coreScore')] : []), w.tr('common:coverage')],
    model.countries.map((country) => [country.name, country.mission.title, country.scope.label, pct(country.overall), ...(country.coreOverall ? [pct(country.coreOverall)] : []),
      country.coverage.percent === null ? '—' : `${country.coverage.percent}%`])));
  body.push(new Paragraph({ children: [new TextRun({ text: w.label(w.tr('report:regional.heatmapTitle')), bold: true })] }));
  body.push(w.table([w.tr('report:table.area'), ...model.heatmap.columns.map((column) => ({ en: column.code, ru: column.code }))],
    model.heatmap.rows.map((row) => [row.title, ...row.cells.map(pct)])));
  body.push(w.heading(1, chapter(model.toc, 'common-gaps'), w.tr('report:regional.commonGapsTitle')));
  body.push(...w.text(w.tr('report:regional.commonGapsIntro')));
  body.push(w.table([w.tr('report:table.rank'), w.tr('report:table.question'), w.tr('report:regional.countries'), w.tr('report:regional.meanGap')],
    model.commonGaps.map((gap) => [String(gap.rank), { en: `${gap.questionText.en} (${gap.areaTitle.en})`, ru: `${gap.questionText.ru} (${gap.areaTitle.ru})` }, gap.countries.join(', '), String(gap.meanGap)])));
  body.push(w.heading(1, chapter(model.toc, 'regional-recommendations'), w.tr('report:regional.recommendationsTitle')));
  body.push(...w.text(w.tr('report:regional.recommendationsIntro')));
  for (const rec of model.recommendations) body.push(...recommendation(w, rec), new Paragraph(`${rec.countries.join(', ')}`));
  body.push(w.heading(1, chapter(model.toc, 'profiles'), w.tr('report:regional.profilesTitle')));
  for (const profile of model.profiles) {
    body.push(w.heading(2, chapter(model.toc, profile.anchor), profile.name));
    const scope = { en: `${w.tr('report:mission.scopeLabel').en}: ${profile.scope.label.en}`, ru: `${w.tr('report:mission.scopeLabel').ru}: ${profile.scope.label.ru}` };
    body.push(...w.text({ en: `${profile.mission.title}: ${pct(profile.overall)} (${scope.en})`, ru: `${profile.mission.title}: ${formatPercent(profile.overall.percent, 'ru')} (${scope.ru})` }));
    for (const rec of profile.topPriorities) body.push(...recommendation(w, rec));
  }
  body.push(...methodology(w, model));
  return packDocument(w, model.meta, statusOf(model.meta), body);
}

export async function renderProgressDocx(model: ProgressReportModel): Promise<Uint8Array> {
  const w = new Writer(model.meta.language);
  const body: Block[] = [...coverBlocks(w, model.meta, `${model.baseline.title} → ${model.followUp.title}`)];
  body.push(w.heading(1, chapter(model.toc, 'progress-overview'), w.tr('report:progress.overviewTitle')));
  if (model.scopes.notice) body.push(...w.text(model.scopes.notice, { bold: true }));
  body.push(w.table([{ en: '', ru: '' }, w.tr('report:progress.baseline'), w.tr('report:progress.followUp')], [
    [w.tr('report:mission.name'), model.baseline.title, model.followUp.title],
    [w.tr('report:mission.scopeLabel'), model.scopes.baseline.label, model.scopes.followUp.label],
  ]));
  const overall = w.tr('report:summary.overall');
  const onCore = w.tr('report:progress.comparedOnCore');
  const overallLabel = model.scopes.notice ? { en: `${overall.en} (${onCore.en})`, ru: `${overall.ru} (${onCore.ru})` } : overall;
  body.push(w.table([w.tr('report:table.area'), w.tr('report:progress.baseline'), w.tr('report:progress.followUp'), w.tr('report:progress.change')],
    [...model.areas.map((area) => [area.title, pct(area.baseline), pct(area.followUp), area.delta === null ? '—' : String(area.delta)]),
      [overallLabel, pct(model.overall.baseline), pct(model.overall.followUp), model.overall.delta === null ? '—' : String(model.overall.delta)]]));
  body.push(w.heading(1, chapter(model.toc, 'progress-changes'), w.tr('report:progress.changesTitle')));
  for (const [key, rows] of [['improved', model.improved], ['worsened', model.worsened], ['stillBelow', model.stillBelowTarget]] as const) {
    body.push(new Paragraph({ children: [new TextRun({ text: w.label(w.tr(`report:progress.${key}`)), bold: true })] }));
    body.push(w.table([w.tr('report:table.number'), w.tr('report:table.question'), w.tr('report:progress.baseline'), w.tr('report:progress.followUp'), w.tr('common:target')],
      rows.map((row) => [row.number, row.questionText, row.from === null ? '—' : String(row.from), row.to === null ? '—' : String(row.to), String(row.target)])));
  }
  body.push(w.heading(1, chapter(model.toc, 'progress-recommendations'), w.tr('report:progress.recommendationsTitle')));
  for (const [key, list] of [['closed', model.recommendations.closed], ['open', model.recommendations.open], ['added', model.recommendations.added]] as const) {
    body.push(new Paragraph({ children: [new TextRun({ text: `${w.label(w.tr(`report:progress.${key}`))} (${list.length})`, bold: true })] }));
    for (const rec of list) body.push(...recommendation(w, rec));
  }
  body.push(...methodology(w, model));
  return packDocument(w, model.meta, statusOf(model.meta), body);
}
