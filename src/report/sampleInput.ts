/**
 * Deterministic sample report inputs: plausible answers generated from a seed for any questionnaire
 * set. The benchmark and the report tests use them; they are marked demo data and never stored.
 */
import type { Language } from '../i18n/i18n.js';
import type { AnswerValue } from '../questionnaire/answerValue.js';
import type { Catalogue, Questionnaire } from '../questionnaire/model.js';
import type { Bilingual, Question } from '../questionnaire/schema.js';
import { EVIDENCE_LEVELS, type EvidenceLevel, type Institution } from '../questionnaire/vocabulary.js';
import type { CountryInput, CountryReportInput, MissionInput, ReportAnswer } from './input.js';

/** The five demo countries of the region. */
export const SAMPLE_COUNTRIES: readonly CountryInput[] = [
  { code: 'KZ', name: { en: 'Kazakhstan', ru: 'Казахстан' } },
  { code: 'KG', name: { en: 'Kyrgyzstan', ru: 'Кыргызстан' } },
  { code: 'TJ', name: { en: 'Tajikistan', ru: 'Таджикистан' } },
  { code: 'TM', name: { en: 'Turkmenistan', ru: 'Туркменистан' } },
  { code: 'UZ', name: { en: 'Uzbekistan', ru: 'Узбекистан' } },
];

/** A small seeded PRNG (mulberry32 over an FNV-1a hash of the seed): same seed, same answers. */
export function seededRandom(seed: string): () => number {
  let state = 2166136261;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 16777619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOTES: readonly { text: string; language: Language }[] = [
  { text: 'The prosecutor’s office showed two redacted orders from 2023; both were issued within 48 hours.', language: 'en' },
  { text: 'Police officers said the power exists but could not name the article; no document was provided.', language: 'en' },
  { text: 'Statistics for the last year were promised by the Ministry of Justice after the mission.', language: 'en' },
  { text: 'Прокуратура представила два обезличенных распоряжения 2023 года; оба вынесены в течение 48 часов.', language: 'ru' },
  { text: 'Сотрудники полиции сообщили, что полномочие существует, однако не смогли назвать статью; документы не представлены.', language: 'ru' },
  { text: 'Министерство юстиции обещало направить статистику за последний год после завершения миссии.', language: 'ru' },
  { text: 'Запросы направляются через центральный орган; средний срок исполнения, по словам собеседников, — около шести месяцев.', language: 'ru' },
  { text: 'The 24/7 point of contact is staffed during office hours only; requests at night wait until the next morning.', language: 'en' },
];

const SOURCES: readonly string[] = [
  'Criminal Procedure Code, Art. 232 (2014, as amended 2021)',
  'Уголовно-процессуальный кодекс, ст. 232 (в ред. 2021 г.)',
  'Interview with the cybercrime unit, day 2',
  'Беседа с представителями Генеральной прокуратуры, второй день миссии',
  'Law on Communications, Art. 68',
];

const PROVISIONS: readonly string[] = [
  'CPC Art. 232', 'УПК, ст. 231', 'Law on Communications, Art. 68', 'Закон «О связи», ст. 68', 'Criminal Code Art. 205',
];

const FREE_TEXT: readonly { text: string; language: Language }[] = [
  { text: 'Received: Criminal Procedure Code (2021 consolidated text), order No. 112 of the Prosecutor General, annual statistics 2023.', language: 'en' },
  { text: 'Получены: текст УПК (консолидированная редакция 2021 г.), приказ Генерального прокурора № 112, статистика за 2023 год.', language: 'ru' },
];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const clampLevel = (level: number): number => Math.max(0, Math.min(4, Math.round(level)));

/** A value of the question's type near `level` (0–4). */
function valueNear(question: Question, level: number, random: () => number): AnswerValue {
  switch (question.type) {
    case 'maturity':
      return level;
    case 'yes_partial_no':
      return level >= 3 ? 'yes' : level >= 1 ? 'partial' : 'no';
    case 'single_choice':
      return [...question.options].sort((a, b) => Math.abs(a.level - level) - Math.abs(b.level - level))[0]?.id ?? question.options[0]?.id ?? '';
    case 'multiple_choice':
      return question.options.filter(() => random() < 0.25 + level / 8).map((option) => option.id);
    case 'number': {
      const band = [...question.bands].sort((a, b) => Math.abs(a.level - level) - Math.abs(b.level - level))[0];
      const index = band ? question.bands.indexOf(band) : 0;
      const below = band?.below ?? (question.bands[index - 1]?.below ?? 10) * 2;
      const above = question.bands[index - 1]?.below ?? 0;
      return Math.max(question.min ?? 0, Math.round(above + (below - above) * (0.2 + random() * 0.6)));
    }
    case 'alignment_table':
      return {
        rows: Object.fromEntries(question.rows.map((row) => {
          const roll = random() * 4;
          const status = roll < 0.3 ? 'unknown' : roll < level ? 'full' : roll < level + 1.2 ? 'partial' : 'none';
          return [row.id, {
            status,
            ...(status === 'full' || status === 'partial' ? { provision: pick(random, PROVISIONS) } : {}),
            ...(random() < 0.25 ? { note: pick(random, NOTES).text } : {}),
          }];
        })),
      };
    case 'date':
      return `2024-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
    case 'text':
      return pick(random, FREE_TEXT).text;
  }
}

/**
 * Answers for one questionnaire. `strength` (0–1) moves levels up or down so countries differ;
 * some answers are unknown or not applicable, some carry notes and sources in either language.
 */
export function sampleAnswers(questionnaire: Questionnaire, seed: string, strength = 0.5): Map<string, ReportAnswer> {
  const random = seededRandom(`${seed}/${questionnaire.id}`);
  const answers = new Map<string, ReportAnswer>();
  for (const { question } of questionnaire.questions) {
    const scored = question.type !== 'date' && question.type !== 'text';
    const roll = random();
    let value: AnswerValue;
    if (scored && roll < 0.07) value = 'unknown';
    else if (scored && roll < 0.09) value = 'not_applicable';
    else value = valueNear(question, clampLevel(strength * 4 + (random() - 0.5) * 3), random);
    const note = random() < 0.35 ? pick(random, NOTES) : undefined;
    answers.set(question.id, {
      value,
      evidence: scored ? pick<EvidenceLevel>(random, [...EVIDENCE_LEVELS, 'documented', 'documented']) : undefined,
      note: note?.text,
      noteLanguage: note?.language,
      source: random() < 0.25 ? pick(random, SOURCES) : undefined,
    });
  }
  return answers;
}

const TEAM: readonly { name: string; role: string }[] = [
  { name: 'Anna Keller', role: 'Team leader, criminal procedure' },
  { name: 'Дмитрий Орлов', role: 'Эксперт по международному сотрудничеству' },
  { name: 'Marc Dubois', role: 'Digital forensics expert' },
  { name: 'Айгуль Серикбаева', role: 'Национальный консультант' },
];

const INSTITUTIONS_MET: readonly { name: string; type: Institution }[] = [
  { name: 'Prosecutor General’s Office, International Cooperation Department', type: 'prosecutors-office' },
  { name: 'Ministry of Internal Affairs, Cybercrime Department', type: 'police-cybercrime-unit' },
  { name: 'Министерство юстиции', type: 'ministry-of-justice' },
  { name: 'Supreme Court', type: 'judiciary' },
  { name: 'Association of telecommunications operators', type: 'service-providers' },
];

export function sampleMission(country: CountryInput, index = 0, isDemo = true): MissionInput {
  const year = 2024 + index;
  return {
    id: `${country.code.toLowerCase()}-${year}`,
    title: `${country.name.en} e-evidence assessment ${year}`,
    startsOn: `${year}-03-11`,
    endsOn: `${year}-03-15`,
    team: TEAM,
    institutionsMet: INSTITUTIONS_MET.map((met, i) => ({ ...met, date: `${year}-03-1${1 + (i % 5)}` })),
    isDemo,
  };
}

export interface SampleOptions {
  questionnaires: readonly Questionnaire[];
  catalogue: Catalogue;
  /** Mission index: 0 baseline, 1 follow-up… (follow-ups score a little higher). */
  missionIndex?: number;
  isDemo?: boolean;
  marking?: string | Bilingual;
  generatedAt?: Date;
}

/** A complete country report input for one of SAMPLE_COUNTRIES (or any country). */
export function sampleCountryInput(country: CountryInput, options: SampleOptions): CountryReportInput {
  const index = options.missionIndex ?? 0;
  const strength = 0.25 + (seededRandom(country.code)() * 0.4) + index * 0.15;
  const mission = sampleMission(country, index, options.isDemo ?? true);
  return {
    country,
    mission,
    assessments: options.questionnaires.map((questionnaire) => ({
      questionnaire,
      answers: sampleAnswers(questionnaire, `${country.code}/${mission.id}`, Math.min(1, strength)),
    })),
    catalogue: options.catalogue,
    targets: new Map(),
    marking: options.marking ?? 'For official use',
    generatedAt: options.generatedAt ?? new Date('2025-01-15T10:00:00Z'),
    dataRevision: `${mission.id}@1`,
  };
}
