/**
 * Demo data files (data/demo/<CODE>.yaml): one illustrative mission per country with answers to the
 * questionnaires. Checked like questionnaires: every problem with file, line and path.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { answerValueSchema, type AnswerValue } from '../questionnaire/answerValue.js';
import type { Questionnaire } from '../questionnaire/model.js';
import { bilingual, type GlossaryTerm } from '../questionnaire/schema.js';
import { glossaryProblems } from '../questionnaire/crossCheck.js';
import { EVIDENCE_LEVELS } from '../questionnaire/vocabulary.js';
import { bilingualName, countryCode, missionFields, NOTE_MAX, SOURCE_MAX } from '../shared/fields.js';
import { MISSION_STATUSES } from '../storage/schema.js';
import { locate, readYaml, type PathIssue, type ValidationIssue } from '../questionnaire/yamlFile.js';

const textUpTo = (max: number) => z.string().trim().min(1).max(max, `is too long (at most ${max.toLocaleString('en')} characters)`);

/** The same field limits as the API, the forms and bundle import (src/shared/fields.ts). */
const demoAnswer = z.strictObject({
  value: z.unknown().refine((v) => v !== undefined, 'is missing: add the answer value'),
  note: textUpTo(NOTE_MAX).optional(),
  source: textUpTo(SOURCE_MAX).optional(),
  evidence: z.enum(EVIDENCE_LEVELS).optional(),
});

export const demoFileSchema = z.strictObject({
  country: z.strictObject({ code: countryCode, name: bilingual.pipe(bilingualName) }),
  /**
   * Demo data says so in the data itself, not only in a comment: it becomes the mission's demo flag, which
   * every page, report and export shows ("Demo data — not an assessment").
   */
  illustrative: z.literal(true, { error: 'demo data must say illustrative: true, so that it can never be mistaken for a real assessment' }),
  mission: z.strictObject({
    title: missionFields.title,
    starts_on: missionFields.startsOn,
    ends_on: missionFields.endsOn,
    status: z.enum(MISSION_STATUSES),
    team: missionFields.team,
    institutions_met: missionFields.institutionsMet,
  }).refine((m) => m.ends_on >= m.starts_on, { path: ['ends_on'], message: 'must be on or after starts_on' }),
  answers: z.record(z.string(), z.record(z.string(), demoAnswer)),
});

export type DemoFile = z.infer<typeof demoFileSchema>;

export interface DemoAnswer {
  value: AnswerValue;
  note?: string | undefined;
  source?: string | undefined;
  evidence?: (typeof EVIDENCE_LEVELS)[number] | undefined;
}

export interface LoadedDemo {
  file: string;
  data: DemoFile;
}

/** Russian free text (notes, sources, text answers) follows the glossary too (review RU29). */
function demoGlossaryIssues(data: DemoFile, glossary: readonly GlossaryTerm[]): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const [questionnaireId, answers] of Object.entries(data.answers)) {
    for (const [questionId, answer] of Object.entries(answers)) {
      for (const field of ['value', 'note', 'source'] as const) {
        const text = answer[field];
        if (typeof text !== 'string' || !/[\u0400-\u04FF]/.test(text)) continue;
        for (const message of glossaryProblems(text, glossary)) issues.push({ path: ['answers', questionnaireId, questionId, field], message });
      }
    }
  }
  return issues;
}

export async function readDemoFiles(dir: string, questionnaires: readonly Questionnaire[], glossary: readonly GlossaryTerm[] = []): Promise<{ demos: LoadedDemo[]; issues: ValidationIssue[] }> {
  const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.yaml')).sort();
  const byId = new Map(questionnaires.map((q) => [q.id, q]));
  const demos: LoadedDemo[] = [];
  const issues: ValidationIssue[] = [];
  for (const name of names) {
    const parsed = await readYaml(join(dir, name), demoFileSchema);
    if (!parsed.ok) {
      issues.push(...parsed.issues);
      continue;
    }
    const problems: PathIssue[] = [];
    if (`${parsed.value.country.code}.yaml` !== name) problems.push({ path: ['country', 'code'], message: `must match the file name ${name}` });
    for (const [questionnaireId, answers] of Object.entries(parsed.value.answers)) {
      const questionnaire = byId.get(questionnaireId);
      if (!questionnaire) {
        problems.push({ path: ['answers', questionnaireId], atKey: true, message: `unknown questionnaire "${questionnaireId}": use one of ${[...byId.keys()].join(', ')}` });
        continue;
      }
      for (const [questionId, answer] of Object.entries(answers)) {
        const placed = questionnaire.questionsById.get(questionId);
        if (!placed) {
          problems.push({ path: ['answers', questionnaireId, questionId], atKey: true, message: `"${questionnaireId}" has no question "${questionId}"` });
          continue;
        }
        const result = answerValueSchema(placed.question).safeParse(answer.value);
        if (!result.success) problems.push({ path: ['answers', questionnaireId, questionId, 'value'], message: result.error.issues[0]?.message ?? 'invalid value' });
      }
    }
    problems.push(...demoGlossaryIssues(parsed.value, glossary));
    issues.push(...locate(parsed.source, problems));
    if (problems.length === 0) demos.push({ file: join(dir, name), data: parsed.value });
  }
  return { demos, issues };
}
