/** A valid mission bundle of about `bytes` bytes: many answers with long notes and a few revisions each. */
import { randomUUID } from 'node:crypto';
import { encodeBundle } from '../../src/exchange/bundle/format.js';
import type { MissionBundleBody } from '../../src/exchange/bundle/model.js';

export function largeBundleBody(bytes: number, options: { countryCode?: string; isDemo?: boolean; noteRepeat?: number } = {}): MissionBundleBody {
  const code = options.countryCode ?? 'KZ';
  const note = 'Примечание эксперта о практике применения. '.repeat(options.noteRepeat ?? 4);
  const perAnswer = 3 * (note.length * 2 + 300);
  const answers = Array.from({ length: Math.max(1, Math.round(bytes / perAnswer)) }, (_, i) => ({
    questionId: `q-${i}`,
    history: [1, 2, 3].map((revision) => ({
      revision, value: revision, note, source: `Order ${i}/${revision}`, evidence: 'documented' as const, author: 'dana@example.org',
      createdAt: new Date(Date.UTC(2025, 5, 11, 9, revision)).toISOString(), opId: randomUUID(),
    })),
  }));
  return {
    format: 'ena-mission-bundle', formatVersion: 1, exportedAt: '2025-06-14T10:00:00.000Z', exportedBy: 'dana@example.org',
    country: { code, name: { en: 'Kazakhstan', ru: 'Казахстан' } },
    mission: {
      uid: randomUUID(), countryCode: code, title: 'Large mission', startsOn: '2025-06-11', endsOn: '2025-06-13', team: ['Dana'], institutionsMet: [],
      status: 'in_progress', scope: 'full', isDemo: options.isDemo ?? false, createdAt: '2025-06-10T08:00:00.000Z', updatedAt: '2025-06-10T08:00:00.000Z',
    },
    people: [{ email: 'dana@example.org', name: 'Dana Omarova' }],
    assessments: [{ questionnaireId: 'preservation-demo', questionnaireVersion: 1, createdAt: '2025-06-10T08:00:00.000Z', answers, reviews: [], comments: [], conflicts: [] }],
  };
}

export const largeBundle = (bytes: number, options?: { countryCode?: string; isDemo?: boolean; noteRepeat?: number }): Buffer => encodeBundle(largeBundleBody(bytes, options));
