/**
 * A fingerprint of what a country report is printed with besides the data: the installed questionnaires
 * of its assessments (texts, weights, default targets, recommendations) and the catalogue (references,
 * scales, glossary). Installing other questionnaire files changes the numbers and sentences of a report
 * without changing the data revision, so an approval records this too (draft/status.ts). The file path is
 * left out: the same questionnaire on another machine prints the same report.
 */
import { createHash } from 'node:crypto';
import type { Catalogue, Questionnaire } from '../../questionnaire/model.js';
import type { CountryReportInput } from '../input.js';

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

// Loaded once per process and printed many times: hash each object once.
const byQuestionnaire = new WeakMap<Questionnaire, string>();
const byCatalogue = new WeakMap<Catalogue, string>();

function questionnaireDigest(questionnaire: Questionnaire): string {
  let known = byQuestionnaire.get(questionnaire);
  if (known === undefined) {
    const { id, version, title, short_title, description, reviewer_note, sections } = questionnaire;
    known = digest({ id, version, title, short_title, description, reviewer_note, sections });
    byQuestionnaire.set(questionnaire, known);
  }
  return known;
}

function catalogueDigest(catalogue: Catalogue): string {
  let known = byCatalogue.get(catalogue);
  if (known === undefined) {
    known = digest({ references: [...catalogue.references], scales: [...catalogue.scales], glossary: catalogue.glossary });
    byCatalogue.set(catalogue, known);
  }
  return known;
}

export function questionnaireFingerprint(input: Pick<CountryReportInput, 'assessments' | 'catalogue'>): string {
  return digest({ questionnaires: input.assessments.map((assessment) => questionnaireDigest(assessment.questionnaire)), catalogue: catalogueDigest(input.catalogue) });
}
