/**
 * A five-area questionnaire set built in code (validated by the real zod schema), big enough for a
 * full-length country report, and helpers that build report inputs from it.
 */
import { buildQuestionnaire, type Catalogue, type Questionnaire } from '../../src/questionnaire/model.js';
import { questionnaireSchema, type Bilingual, type Reference } from '../../src/questionnaire/schema.js';
import { SAMPLE_COUNTRIES, sampleCountryInput } from '../../src/report/sampleInput.js';
import type { CountryReportInput, ProgressReportInput, RegionalReportInput, ReportAnswer } from '../../src/report/input.js';

const bi = (en: string, ru: string): Bilingual => ({ en, ru });

const REFERENCES: Reference[] = [
  ['bc-14', 'budapest', 'BC Art. 14', 'БК, ст. 14', 'Scope of procedural provisions', 'Сфера применения процессуальных положений'],
  ['bc-16', 'budapest', 'BC Art. 16', 'БК, ст. 16', 'Expedited preservation of stored computer data', 'Оперативное обеспечение сохранности хранимых компьютерных данных'],
  ['bc-17', 'budapest', 'BC Art. 17', 'БК, ст. 17', 'Expedited preservation and partial disclosure of traffic data', 'Оперативное обеспечение сохранности и частичное раскрытие данных о трафике'],
  ['bc-18', 'budapest', 'BC Art. 18', 'БК, ст. 18', 'Production order', 'Распоряжение о предоставлении данных'],
  ['bc-19', 'budapest', 'BC Art. 19', 'БК, ст. 19', 'Search and seizure of stored computer data', 'Обыск и выемка хранимых компьютерных данных'],
  ['bc-29', 'budapest', 'BC Art. 29', 'БК, ст. 29', 'Expedited preservation (international)', 'Оперативное обеспечение сохранности (международное сотрудничество)'],
  ['bc-31', 'budapest', 'BC Art. 31', 'БК, ст. 31', 'Mutual assistance regarding accessing of stored data', 'Взаимная помощь в отношении доступа к хранимым данным'],
  ['bc-35', 'budapest', 'BC Art. 35', 'БК, ст. 35', '24/7 Network', 'Сеть 24/7'],
  ['sap-6', 'sap', 'SAP Art. 6', 'ВДП, ст. 6', 'Request for domain name registration information', 'Запрос информации о регистрации доменных имён'],
  ['sap-7', 'sap', 'SAP Art. 7', 'ВДП, ст. 7', 'Disclosure of subscriber information', 'Раскрытие сведений об абонентах'],
  ['sap-9', 'sap', 'SAP Art. 9', 'ВДП, ст. 9', 'Expedited disclosure in an emergency', 'Оперативное раскрытие данных в чрезвычайной ситуации'],
].map(([id, instrument, labelEn, labelRu, titleEn, titleRu]) => ({
  id: id as string, instrument: instrument as Reference['instrument'], label: bi(labelEn as string, labelRu as string), title: bi(titleEn as string, titleRu as string),
}));

export const TEST_CATALOGUE: Catalogue = {
  references: new Map(REFERENCES.map((reference) => [reference.id, reference])),
  scales: new Map([['maturity', {
    id: 'maturity',
    title: bi('Maturity', 'Уровень зрелости'),
    levels: [
      [bi('None or ad hoc', 'Отсутствует или носит эпизодический характер'), bi('No legal basis, unit or procedure exists.', 'Правовая основа, подразделение или процедура отсутствуют.')],
      [bi('Partial or pilot', 'Частичный или пилотный'), bi('A partial basis or a pilot exists; practice is inconsistent.', 'Имеется частичная основа или пилотный проект; практика неединообразна.')],
      [bi('Established', 'Сформирован'), bi('There is a basis in law and an operating procedure used routinely.', 'Имеются основа в законе и рабочая процедура, которые регулярно применяются.')],
      [bi('Resourced and measured', 'Обеспечен ресурсами, результаты измеряются'), bi('The capability is resourced and its performance measured.', 'Потенциал обеспечен ресурсами, результаты измеряются.')],
      [bi('Reviewed and adapted', 'Регулярно пересматривается и совершенствуется'), bi('Law and practice are reviewed and adapted regularly.', 'Законодательство и практика регулярно пересматриваются.')],
    ].map(([label, descriptor], level) => ({ level, label: label as Bilingual, descriptor: descriptor as Bilingual })),
  }]]),
  glossary: [
    { en: 'electronic evidence (e-evidence)', ru: 'электронные доказательства', avoid: [] },
    { en: 'expedited preservation of stored computer data', ru: 'оперативное обеспечение сохранности хранимых компьютерных данных', avoid: [] },
    { en: 'mutual legal assistance (MLA)', ru: 'взаимная правовая помощь', avoid: [], note: 'Use the full term at first mention.' },
    { en: 'subscriber information', ru: 'сведения об абонентах', avoid: [] },
    { en: 'production order', ru: 'распоряжение о предоставлении данных', avoid: [] },
    { en: 'traffic data', ru: 'данные о трафике', avoid: [] },
  ],
};

interface AreaSpec {
  id: string;
  title: Bilingual;
  shortTitle: Bilingual;
  references: string[];
  sections: { id: string; topic: Bilingual }[];
  alignment?: { id: string; label: Bilingual; reference: string }[];
}

const AREAS: AreaSpec[] = [
  {
    id: 'substantive-law', title: bi('Substantive criminal law on cybercrime', 'Материальное уголовное право в сфере киберпреступности'), shortTitle: bi('Substantive law', 'Материальное право'),
    references: ['bc-14'],
    sections: [
      { id: 'offences', topic: bi('Offences against computer data', 'Преступления против компьютерных данных') },
      { id: 'fraud', topic: bi('Computer-related fraud', 'Мошенничество с использованием компьютерных технологий') },
      { id: 'liability', topic: bi('Corporate liability', 'Ответственность юридических лиц') },
      { id: 'jurisdiction', topic: bi('Jurisdiction over cybercrime', 'Юрисдикция в отношении киберпреступлений') },
    ],
  },
  {
    id: 'procedural-powers', title: bi('Domestic procedural powers', 'Внутренние процессуальные полномочия'), shortTitle: bi('Procedural powers', 'Процессуальные полномочия'),
    references: ['bc-16', 'bc-18'],
    sections: [
      { id: 'preservation', topic: bi('Expedited preservation', 'Оперативное обеспечение сохранности данных') },
      { id: 'production', topic: bi('Production orders', 'Распоряжения о предоставлении данных') },
      { id: 'search', topic: bi('Search and seizure of data', 'Обыск и выемка данных') },
      { id: 'traffic', topic: bi('Traffic data collection', 'Сбор данных о трафике') },
    ],
    alignment: [
      { id: 'a16', label: bi('Art. 16 — preservation', 'Ст. 16 — обеспечение сохранности'), reference: 'bc-16' },
      { id: 'a17', label: bi('Art. 17 — partial disclosure', 'Ст. 17 — частичное раскрытие'), reference: 'bc-17' },
      { id: 'a18', label: bi('Art. 18 — production order', 'Ст. 18 — распоряжение о предоставлении'), reference: 'bc-18' },
      { id: 'a19', label: bi('Art. 19 — search and seizure', 'Ст. 19 — обыск и выемка'), reference: 'bc-19' },
    ],
  },
  {
    id: 'international-cooperation', title: bi('International cooperation and mutual legal assistance', 'Международное сотрудничество и взаимная правовая помощь'), shortTitle: bi('International cooperation', 'Международное сотрудничество'),
    references: ['bc-29', 'bc-31'],
    sections: [
      { id: 'central-authority', topic: bi('Central authority for MLA', 'Центральный орган по вопросам взаимной правовой помощи') },
      { id: 'requests', topic: bi('Outgoing MLA requests', 'Исходящие запросы о взаимной правовой помощи') },
      { id: 'network', topic: bi('24/7 point of contact', 'Круглосуточный контактный пункт') },
      { id: 'spontaneous', topic: bi('Spontaneous information', 'Предоставление информации по собственной инициативе') },
    ],
    alignment: [
      { id: 'a29', label: bi('Art. 29 — preservation on request', 'Ст. 29 — обеспечение сохранности по запросу'), reference: 'bc-29' },
      { id: 'a31', label: bi('Art. 31 — access to stored data', 'Ст. 31 — доступ к хранимым данным'), reference: 'bc-31' },
      { id: 'a35', label: bi('Art. 35 — 24/7 Network', 'Ст. 35 — сеть 24/7'), reference: 'bc-35' },
      { id: 's6', label: bi('SAP Art. 6 — domain name data', 'ВДП, ст. 6 — данные о доменных именах'), reference: 'sap-6' },
      { id: 's7', label: bi('SAP Art. 7 — subscriber information', 'ВДП, ст. 7 — сведения об абонентах'), reference: 'sap-7' },
      { id: 's9', label: bi('SAP Art. 9 — emergency disclosure', 'ВДП, ст. 9 — раскрытие в чрезвычайной ситуации'), reference: 'sap-9' },
    ],
  },
  {
    id: 'service-providers', title: bi('Cooperation with service providers', 'Сотрудничество с поставщиками услуг'), shortTitle: bi('Service providers', 'Поставщики услуг'),
    references: ['sap-7'],
    sections: [
      { id: 'domestic', topic: bi('Domestic providers', 'Отечественные поставщики услуг') },
      { id: 'foreign', topic: bi('Foreign providers', 'Иностранные поставщики услуг') },
      { id: 'emergency', topic: bi('Emergency requests', 'Запросы в чрезвычайных ситуациях') },
      { id: 'retention', topic: bi('Data retention', 'Хранение данных') },
    ],
  },
  {
    id: 'capacity', title: bi('Institutional capacity and safeguards', 'Институциональный потенциал и гарантии'), shortTitle: bi('Capacity and safeguards', 'Потенциал и гарантии'),
    references: ['bc-14'],
    sections: [
      { id: 'units', topic: bi('Specialised units', 'Специализированные подразделения') },
      { id: 'forensics', topic: bi('Digital forensics', 'Цифровая криминалистика') },
      { id: 'training', topic: bi('Training of judges and prosecutors', 'Подготовка судей и прокуроров') },
      { id: 'safeguards', topic: bi('Safeguards and data protection', 'Гарантии и защита данных') },
    ],
  },
];

const rec = (levels: number[], priority: string, timeframe: string, responsible: string[], topic: Bilingual, en: string, ru: string) => ({
  levels, priority, timeframe, responsible, text: bi(`${topic.en}: ${en}`, `${topic.ru}: ${ru}`),
});

function questionsFor(area: AreaSpec, section: AreaSpec['sections'][number], s: number): unknown[] {
  const t = section.topic;
  const refs = area.references;
  const id = (name: string) => `${section.id}-${name}`;
  const recs = [
    rec([0, 1], 'high', 'short', ['parliament', 'ministry-of-justice'], t, 'adopt an explicit statutory basis with clear conditions and safeguards.', 'закрепить в законе прямую правовую основу с чёткими условиями и гарантиями.'),
    rec([2], 'medium', 'medium', ['prosecutors-office', 'training-institution'], t, 'issue a practice guideline and train practitioners in its use.', 'утвердить методические рекомендации и обучить практических работников их применению.'),
  ];
  return [
    { id: id('basis'), type: 'maturity', text: bi(`${t.en}: is there an explicit legal basis?`, `${t.ru}: имеется ли прямо предусмотренная правовая основа?`), help: bi('Ask for the article and two examples.', 'Запросите текст статьи и два примера.'), ask: ['ministry-of-justice', 'prosecutors-office'], weight: 3, critical: true, references: refs, recommendations: recs },
    { id: id('practice'), type: 'maturity', text: bi(`${t.en}: how consistently is it applied in practice?`, `${t.ru}: насколько единообразно она применяется на практике?`), help: bi('Ask for statistics.', 'Запросите статистику.'), ask: ['police-cybercrime-unit'], weight: 2, references: refs, recommendations: recs },
    { id: id('procedures'), type: 'yes_partial_no', text: bi(`${t.en}: are there written procedures and templates?`, `${t.ru}: имеются ли письменные процедуры и типовые формы?`), help: bi('Ask to see them.', 'Попросите их предъявить.'), weight: 1, references: refs, recommendations: recs },
    { id: id('authority'), type: 'single_choice', text: bi(`${t.en}: who may authorise the measure?`, `${t.ru}: кто вправе санкционировать меру?`), help: bi('Check the code.', 'Проверьте кодекс.'), weight: 2, references: refs,
      options: [{ id: 'nobody', label: bi('No one: the measure does not exist', 'Никто: мера не предусмотрена'), level: 0 }, { id: 'investigator', label: bi('The investigator alone', 'Только следователь'), level: 2 }, { id: 'prosecutor', label: bi('A prosecutor', 'Прокурор'), level: 3 }, { id: 'court', label: bi('A court, with a fast track', 'Суд, в ускоренном порядке'), level: 4 }],
      recommendations: recs },
    { id: id('days'), type: 'number', text: bi(`${t.en}: median days to complete a request`, `${t.ru}: медианный срок исполнения запроса (дней)`), help: bi('Last year’s figures.', 'Данные за последний год.'), unit: 'days', min: 0,
      show_if: { question: id('basis'), at_least: 1 }, weight: 2, references: refs,
      bands: [{ below: 3, level: 4 }, { below: 10, level: 3 }, { below: 30, level: 2 }, { below: 90, level: 1 }, { level: 0 }], recommendations: recs },
    { id: id('channels'), type: 'multiple_choice', text: bi(`${t.en}: which channels are used?`, `${t.ru}: какие каналы используются?`), help: bi('List all.', 'Перечислите все.'), weight: 1, references: refs,
      options: [{ id: 'portal', label: bi('Secure portal', 'Защищённый портал'), level: 2 }, { id: 'email', label: bi('E-mail', 'Электронная почта'), level: 1 }, { id: 'diplomatic', label: bi('Diplomatic channel', 'Дипломатические каналы'), level: 1 }, { id: 'network', label: bi('24/7 Network', 'Сеть 24/7'), level: 2 }],
      recommendations: recs },
    ...(s === 3 ? [{ id: 'documents-received', type: 'text', text: bi('Documents received', 'Полученные документы'), help: bi('List them.', 'Перечислите их.') }] : []),
  ];
}

function buildArea(area: AreaSpec): Questionnaire {
  const sections = area.sections.map((section, s) => ({
    id: section.id,
    title: section.topic,
    questions: questionsFor(area, section, s),
  }));
  if (area.alignment) {
    sections[0]?.questions.push({
      id: 'alignment', type: 'alignment_table',
      text: bi(`${area.shortTitle.en}: alignment of national law with the treaty provisions`, `${area.shortTitle.ru}: соответствие национального законодательства положениям договоров`),
      help: bi('Cite the national provision for each row.', 'Укажите норму национального права по каждой строке.'),
      weight: 3, references: area.alignment.map((row) => row.reference),
      rows: area.alignment.map((row) => ({ id: row.id, label: row.label, references: [row.reference] })),
      recommendations: [rec([0, 1, 2], 'high', 'medium', ['parliament'], area.shortTitle, 'amend the law to implement each provision marked partial or none.', 'внести изменения в законодательство для реализации каждого положения со статусом «частично» или «отсутствует».')],
    });
  }
  const doc = questionnaireSchema.parse({
    id: area.id, version: 1, title: area.title, short_title: area.shortTitle,
    description: bi(`Assesses ${area.title.en.toLowerCase()} against the Budapest Convention and good practice.`, `Оценка по направлению «${area.title.ru}» с учётом Будапештской конвенции и передовой практики.`),
    sections,
  });
  return buildQuestionnaire(doc, `${area.id}.yaml`);
}

export const TEST_QUESTIONNAIRES: Questionnaire[] = AREAS.map(buildArea);

export const GENERATED_AT = new Date('2025-01-15T10:00:00Z');

export function countryInput(code = 'KZ', options: { missionIndex?: number; isDemo?: boolean; questionnaires?: Questionnaire[]; catalogue?: Catalogue } = {}): CountryReportInput {
  const country = SAMPLE_COUNTRIES.find((candidate) => candidate.code === code) ?? { code, name: bi(code, code) };
  return sampleCountryInput(country, {
    questionnaires: options.questionnaires ?? TEST_QUESTIONNAIRES,
    catalogue: options.catalogue ?? TEST_CATALOGUE,
    missionIndex: options.missionIndex ?? 0,
    isDemo: options.isDemo ?? true,
    generatedAt: GENERATED_AT,
  });
}

export function regionalInput(codes = ['KZ', 'KG', 'TJ', 'TM', 'UZ']): RegionalReportInput {
  const countries = codes.map((code) => countryInput(code));
  return {
    catalogue: TEST_CATALOGUE, marking: 'For official use', generatedAt: GENERATED_AT, dataRevision: 'regional@1',
    countries: countries.map(({ country, mission, assessments, targets }) => ({ country, mission, assessments, targets })),
  };
}

export function progressInput(code = 'KZ'): ProgressReportInput {
  const baseline = countryInput(code, { missionIndex: 0 });
  const followUp = countryInput(code, { missionIndex: 1 });
  return {
    catalogue: TEST_CATALOGUE, marking: 'For official use', generatedAt: GENERATED_AT, dataRevision: 'progress@1',
    country: baseline.country, targets: new Map(),
    baseline: { mission: baseline.mission, assessments: baseline.assessments },
    followUp: { mission: followUp.mission, assessments: followUp.assessments },
  };
}

/** The input with one answer replaced (e.g. to plant a hostile note). */
export function withAnswer(input: CountryReportInput, questionnaireId: string, questionId: string, answer: ReportAnswer): CountryReportInput {
  return {
    ...input,
    assessments: input.assessments.map((assessment) => assessment.questionnaire.id !== questionnaireId ? assessment : {
      ...assessment, answers: new Map([...assessment.answers, [questionId, answer]]),
    }),
  };
}
