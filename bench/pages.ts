/**
 * Page benchmark (prints figures, asserts nothing): server time of the fill-in page for the largest
 * installed questionnaire with every question answered (note, source and evidence included), target
 * ≤ 50 ms. Measured two ways: the whole GET over loopback HTTP against the real app (session lookup,
 * permission check, SQLite reads, model, Handlebars), and the model + render step alone in-process.
 * A synthetic questionnaire ten times larger shows the headroom.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/env.js';
import { translate } from '../src/web/pages/translate.js';
import type { AnswerValue } from '../src/questionnaire/answerValue.js';
import { loadQuestionnaires } from '../src/questionnaire/load.js';
import { buildQuestionnaire, type Catalogue, type Questionnaire } from '../src/questionnaire/model.js';
import type { Question } from '../src/questionnaire/schema.js';
import { saveAnswer } from '../src/storage/answers.js';
import { createAssessment } from '../src/storage/assessments.js';
import { SYSTEM } from '../src/storage/audit.js';
import { createCountry } from '../src/storage/countries.js';
import { createMission } from '../src/storage/missions.js';
import { createUser } from '../src/storage/users.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { buildFillPage, type StoredAnswer } from '../src/web/pages/fillModel.js';
import { createPageRenderer } from '../src/web/pages/view.js';
import { startServer } from '../src/web/server.js';

const ROUNDS = Number(process.env.BENCH_PAGE_ROUNDS ?? (process.env.BENCH_QUICK ? 40 : 200));
const PASSWORD = 'benchmark passphrase';

/** A valid answer for any question, as an expert would leave it: value, note, source, evidence. */
function answerFor(question: Question, n: number): { value: AnswerValue; note: string; source: string; evidence: 'documented' } {
  const extra = { note: `Interview with the prosecutor's office, point ${n}: the provision is applied in practice, with two redacted orders received.`, source: `CPC art. ${100 + n}; meeting of 12 March`, evidence: 'documented' as const };
  switch (question.type) {
    case 'maturity': return { value: n % 5, ...extra };
    case 'yes_partial_no': return { value: ['yes', 'partial', 'no'][n % 3] as string, ...extra };
    case 'single_choice': return { value: question.options[n % question.options.length]?.id ?? '', ...extra };
    case 'multiple_choice': return { value: question.options.slice(0, 2).map((o) => o.id), ...extra };
    case 'number': return { value: Math.max(question.min ?? 0, Math.min(question.max ?? 1000, 7)), ...extra };
    case 'alignment_table': return { value: { rows: Object.fromEntries(question.rows.map((row, i) => [row.id, { status: (["full", "partial", "none"] as const)[i % 3] ?? "none", provision: `Art. ${200 + i}`, note: 'in force since 2021' }])) }, ...extra };
    case 'date': return { value: '2024-05-01', ...extra };
    case 'text': return { value: 'Documents received: the law on electronic communications, two orders, statistics of 2024. '.repeat(4), ...extra };
  }
}

/** Ten copies of every section, with ids made unique: a stress case far beyond any real questionnaire. */
function tenfold(questionnaire: Questionnaire): Questionnaire {
  const sections = Array.from({ length: 10 }, (_, copy) => questionnaire.sections.map((section) => {
    const rename = (id: string): string => `${id}-c${copy}`;
    const rewrite = (condition: unknown): unknown => JSON.parse(JSON.stringify(condition), (key, value: unknown) => (key === 'question' && typeof value === 'string' ? rename(value) : value));
    return {
      ...section,
      id: rename(section.id),
      ...(section.show_if ? { show_if: rewrite(section.show_if) } : {}),
      questions: section.questions.map((q) => ({ ...q, id: rename(q.id), ...(q.show_if ? { show_if: rewrite(q.show_if) } : {}) }) as Question),
    };
  })).flat();
  return buildQuestionnaire({ ...questionnaire, id: `${questionnaire.id}-x10`, sections } as Parameters<typeof buildQuestionnaire>[0], questionnaire.file);
}

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return `mean ${mean.toFixed(2)} ms, p50 ${at(50).toFixed(2)} ms, p95 ${at(95).toFixed(2)} ms, max ${at(100).toFixed(2)} ms`;
}

function renderOnly(questionnaire: Questionnaire, catalogue: Catalogue, answers: Map<string, StoredAnswer>): number[] {
  const renderer = createPageRenderer();
  const t = translate('ru');
  const frame = { lang: 'ru' as const, t, title: '', csrfToken: 'x', user: { id: 1, name: 'Bench', email: 'b@x', role: 'expert', isAdmin: false, canManage: false }, returnTo: '/', pageId: 'fill', demo: false };
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS + 20; i++) {
    const start = performance.now();
    const fill = buildFillPage({ questionnaire, catalogue, answers, language: 'ru', t });
    renderer.render('fill', frame, { fill, assessment: { id: 1, missionId: 1, missionTitle: 'Bench', countryName: 'Bench', version: 1 }, userId: 1, readOnly: false, clientStrings: {} });
    if (i >= 20) samples.push(performance.now() - start);
  }
  return samples;
}

export async function runPagesBenchmark(): Promise<void> {
  console.log(`Fill-in page — load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const config = loadConfig({ ...process.env, PORT: '0', ENA_LOG_LEVEL: 'silent' });
  const loaded = await loadQuestionnaires([config.questionnairesDir]);
  if (loaded.issues.length > 0 || loaded.questionnaires.length === 0) throw new Error(`the questionnaires in ${config.questionnairesDir} do not load: run npx ena validate`);
  const largest = [...loaded.questionnaires].sort((a, b) => b.questions.length - a.questions.length)[0] as Questionnaire;

  const dir = await mkdtemp(join(tmpdir(), 'ena-bench-pages-'));
  const running = await startServer(loadConfig({ ...process.env, PORT: '0', ENA_LOG_LEVEL: 'silent', ENA_DB: join(dir, 'bench.sqlite') }));
  try {
    const { db } = running.store;
    await createCountry(db, SYSTEM, { code: 'BN', name: { en: 'Benchland', ru: 'Бенчландия' } });
    await createUser(db, SYSTEM, { email: 'bench@ena.test', name: 'Bench Expert', role: 'expert', countries: ['BN'], passwordHash: await hashPassword(PASSWORD, { N: 2 ** 12, r: 8, p: 1 }), language: 'ru' });
    const mission = await createMission(db, SYSTEM, { countryCode: 'BN', title: 'Bench mission', startsOn: '2025-01-01', endsOn: '2025-01-05' });
    const assessment = await createAssessment(db, SYSTEM, { missionId: mission.id, questionnaireId: largest.id, questionnaireVersion: largest.version });
    const stored = new Map<string, StoredAnswer>();
    for (const [n, { question }] of largest.questions.entries()) {
      const answer = answerFor(question, n);
      await saveAnswer(db, SYSTEM, { assessmentId: assessment.id, questionId: question.id, ...answer, baseRevision: 0 });
      stored.set(question.id, { ...answer, revision: 1, updatedAt: new Date().toISOString() });
    }

    const login = await fetch(`${running.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@ena.test', password: PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const http: number[] = [];
    const server: number[] = [];
    let bytes = 0;
    for (let i = 0; i < ROUNDS + 20; i++) {
      const start = performance.now();
      const response = await fetch(`${running.url}/assessments/${assessment.id}`, { headers: { cookie } });
      const html = await response.text();
      if (response.status !== 200) throw new Error(`fill-in page answered ${response.status}`);
      if (i >= 20) {
        http.push(performance.now() - start);
        server.push(Number(/page;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? Number.NaN));
      }
      bytes = html.length;
    }

    console.log(`Fill-in page — largest questionnaire "${largest.id}": ${largest.questions.length} questions in ${largest.sections.length} sections, all answered (value, note, source, evidence), Russian`);
    console.log(`  server time (Server-Timing: page router → HTML, ${ROUNDS} requests): ${stats(server)}   target ≤ 50 ms`);
    console.log(`  whole GET over loopback HTTP, client in the same process: ${stats(http)}   page ${(bytes / 1024).toFixed(0)} KiB`);
    console.log(`  model + render in-process:                 ${stats(renderOnly(largest, loaded.catalogue, stored))}`);
    const big = tenfold(largest);
    const bigAnswers = new Map(big.questions.map(({ question }, n) => [question.id, { ...answerFor(question, n), revision: 1, updatedAt: new Date().toISOString() }]));
    console.log(`  headroom: ${big.questions.length} questions (ten times the largest), model + render: ${stats(renderOnly(big, loaded.catalogue, bigAnswers))}`);
  } finally {
    await running.close();
    await rm(dir, { recursive: true, force: true });
  }
}
