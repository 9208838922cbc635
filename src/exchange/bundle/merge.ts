/**
 * Merging a mission bundle into the local copy of the same mission: a pure function from two mission
 * snapshots to a plan of writes. Nothing is ever thrown away:
 *
 * - per answer, the chains of revisions are compared by fingerprint. When one side's chain starts with
 *   the other's, the longer one wins (the missing revisions are appended, same numbers, same authors);
 * - when both sides changed the answer after a shared revision, it is a true conflict: the local answer
 *   stays as it is and the incoming revisions are kept in a conflict record for a person to resolve;
 * - a conflict already recorded (or a shorter version of it) is not recorded again, so importing the
 *   same bundle twice plans nothing;
 * - when the other side has already resolved a conflict about exactly our local revisions, we adopt its
 *   chain: our revisions after the shared one move into that conflict record (which the bundle carries),
 *   so that both installations end with the same history.
 */
import { createHash } from 'node:crypto';
import { Problem } from '../../shared/problem.js';
import { canonicalJson } from '../canonicalJson.js';
import { commonPrefixLength, fingerprint, startsWith } from './history.js';
import type {
  AssessmentSnapshot, ConflictRecord, HistoryEntry, MissionBundleBody, MissionEntry, ReviewCommentEntry, SectionReviewEntry,
} from './model.js';

export type AnswerAction =
  /** A new answer, or a fast-forward: `entries` follow the local chain (which may be empty). */
  | { kind: 'append'; questionId: string; before: HistoryEntry | null; entries: HistoryEntry[] }
  /** The other side settled a conflict about our latest revisions: replace them with its chain. */
  | { kind: 'adopt'; questionId: string; before: HistoryEntry; sharedRevision: number; removed: HistoryEntry[]; entries: HistoryEntry[]; settledBy: ConflictRecord }
  /** Both sides changed the answer: keep ours, record theirs. */
  | { kind: 'conflict'; questionId: string; record: ConflictRecord }
  /** A recorded open conflict whose incoming side has grown since: record the longer branch. */
  | { kind: 'conflict_extended'; questionId: string; previousIncomingHead: string; record: ConflictRecord };

export type ConflictRecordAction =
  | { kind: 'insert'; record: ConflictRecord }
  | { kind: 'resolve'; questionId: string; incomingHead: string; resolvedAt: string; resolvedBy: string | null; resolvedRevision: number | null };

export interface AssessmentPlan {
  questionnaireId: string;
  /** Set when the assessment does not exist locally. */
  create: { questionnaireVersion: number; createdAt: string } | null;
  /** Set when the bundle pins a newer questionnaire version than the local assessment. */
  raiseVersion: { from: number; to: number } | null;
  answers: AnswerAction[];
  conflictRecords: ConflictRecordAction[];
  reviews: { before: SectionReviewEntry | null; after: SectionReviewEntry }[];
  comments: ReviewCommentEntry[];
}

export interface MergeSummary {
  missionCreated: boolean;
  missionUpdated: boolean;
  assessmentsCreated: number;
  answersAdded: number;
  answersUpdated: number;
  answersAdopted: number;
  answersUnchanged: number;
  answersNewerHere: number;
  conflicts: number;
  conflictsAlreadyRecorded: number;
  conflictRecordsImported: number;
  conflictRecordsResolved: number;
  reviewsUpdated: number;
  commentsAdded: number;
}

export interface MergePlan {
  mission: { kind: 'create'; after: MissionEntry } | { kind: 'update'; before: MissionEntry; after: MissionEntry } | { kind: 'keep' };
  assessments: AssessmentPlan[];
  /** E-mails the planned writes name as authors: each needs a local account (recreated when missing). */
  people: string[];
  summary: MergeSummary;
  /** False when the plan writes nothing: the bundle brings nothing new. */
  changes: boolean;
}

const emptySummary = (): MergeSummary => ({
  missionCreated: false, missionUpdated: false, assessmentsCreated: 0, answersAdded: 0, answersUpdated: 0, answersAdopted: 0, answersUnchanged: 0,
  answersNewerHere: 0, conflicts: 0, conflictsAlreadyRecorded: 0, conflictRecordsImported: 0, conflictRecordsResolved: 0, reviewsUpdated: 0, commentsAdded: 0,
});

const MISSION_FIELDS = ['title', 'startsOn', 'endsOn', 'team', 'institutionsMet', 'status', 'scope'] as const;

function planMission(local: MissionEntry | null, incoming: MissionEntry, summary: MergeSummary): MergePlan['mission'] {
  if (!local) {
    summary.missionCreated = true;
    return { kind: 'create', after: incoming };
  }
  if (local.countryCode !== incoming.countryCode) {
    throw Problem.validation(
      `The bundle's mission belongs to ${incoming.countryCode}, but the same mission here belongs to ${local.countryCode}. Nothing was imported: check that the bundle is for this mission.`,
      [{ path: 'mission.countryCode', message: `expected ${local.countryCode}` }]);
  }
  const differs = MISSION_FIELDS.some((field) => canonicalJson(local[field]) !== canonicalJson(incoming[field]));
  // Mission details have no revisions: the later edit wins, and the audit row keeps the earlier one.
  if (differs && incoming.updatedAt > local.updatedAt) {
    summary.missionUpdated = true;
    return { kind: 'update', before: local, after: { ...local, ...pick(incoming), updatedAt: incoming.updatedAt } };
  }
  return { kind: 'keep' };
}

function pick(mission: MissionEntry): Pick<MissionEntry, (typeof MISSION_FIELDS)[number]> {
  return { title: mission.title, startsOn: mission.startsOn, endsOn: mission.endsOn, team: mission.team, institutionsMet: mission.institutionsMet, status: mission.status, scope: mission.scope };
}

const fingerprints = (entries: readonly HistoryEntry[]): string[] => entries.map(fingerprint);

interface AnswerContext {
  questionId: string;
  local: readonly HistoryEntry[];
  incoming: readonly HistoryEntry[];
  localRecords: readonly ConflictRecord[];
  incomingRecords: readonly ConflictRecord[];
  now: string;
}

function planAnswer(ctx: AnswerContext, summary: MergeSummary): AnswerAction | null {
  const localFps = fingerprints(ctx.local);
  const incomingFps = fingerprints(ctx.incoming);
  const shared = commonPrefixLength(localFps, incomingFps);

  if (shared === incomingFps.length) {
    if (shared === localFps.length) summary.answersUnchanged += 1;
    else summary.answersNewerHere += 1;
    return null;
  }
  if (shared === localFps.length) {
    if (shared === 0) summary.answersAdded += 1;
    else summary.answersUpdated += 1;
    return { kind: 'append', questionId: ctx.questionId, before: ctx.local[shared - 1] ?? null, entries: ctx.incoming.slice(shared) };
  }

  const localHead = ctx.local[ctx.local.length - 1] as HistoryEntry;
  const localHeadFp = localFps[localFps.length - 1] as string;
  const sharedRevision = shared === 0 ? 0 : (ctx.local[shared - 1] as HistoryEntry).revision;

  const settled = ctx.incomingRecords.find((record) => record.status === 'resolved' && record.incomingHead === localHeadFp
    && canonicalJson(localFps) === canonicalJson([...fingerprints(ctx.incoming.filter((e) => e.revision <= record.baseRevision)), ...fingerprints(record.incoming)]));
  if (settled) {
    summary.answersAdopted += 1;
    return { kind: 'adopt', questionId: ctx.questionId, before: localHead, sharedRevision, removed: ctx.local.slice(shared), entries: ctx.incoming.slice(shared), settledBy: settled };
  }

  const theirs = incomingFps.slice(shared);
  const sameBase = ctx.localRecords.filter((record) => record.baseRevision === sharedRevision);
  const incomingHead = incomingFps[incomingFps.length - 1] as string;
  // A record is one disagreement per (question, incoming head), the key the table enforces: one holding
  // this head under another base (copied from a bundle's conflict list, or an older crafted one) already
  // shows these revisions to a person, so a second record would only collide with it.
  if (sameBase.some((record) => startsWith(fingerprints(record.incoming), theirs)) || ctx.localRecords.some((record) => record.incomingHead === incomingHead)) {
    summary.conflictsAlreadyRecorded += 1;
    return null;
  }
  summary.conflicts += 1;
  const record: ConflictRecord = {
    questionId: ctx.questionId,
    baseRevision: sharedRevision,
    localRevision: localHead.revision,
    localHead: localHeadFp,
    incomingHead,
    incoming: ctx.incoming.slice(shared),
    status: 'open',
    createdAt: ctx.now,
    resolvedAt: null,
    resolvedBy: null,
    resolvedRevision: null,
  };
  const grown = sameBase.find((record) => record.status === 'open' && startsWith(theirs, fingerprints(record.incoming)));
  return grown
    ? { kind: 'conflict_extended', questionId: ctx.questionId, previousIncomingHead: grown.incomingHead, record }
    : { kind: 'conflict', questionId: ctx.questionId, record };
}

/**
 * The other side's conflict records. One whose incoming revisions are our own (it is the other side's
 * view of a conflict we hold from our side) is not copied: its revisions are already in our history, and
 * showing the same disagreement twice would only confuse. It is copied when we adopt its decision,
 * because then it keeps the revisions our history gives up.
 */
function planConflictRecords(local: readonly ConflictRecord[], incoming: readonly ConflictRecord[], ownRevisions: ReadonlyMap<string, ReadonlySet<string>>,
  adopted: ReadonlySet<ConflictRecord>, summary: MergeSummary): ConflictRecordAction[] {
  const actions: ConflictRecordAction[] = [];
  const byKey = new Map(local.map((record) => [`${record.questionId}\n${record.incomingHead}`, record]));
  for (const record of incoming) {
    const key = `${record.questionId}\n${record.incomingHead}`;
    const mine = byKey.get(key);
    if (!mine && ownRevisions.get(record.questionId)?.has(record.incomingHead) && !adopted.has(record)) continue;
    if (!mine) {
      summary.conflictRecordsImported += 1;
      actions.push({ kind: 'insert', record });
      byKey.set(key, record);
    } else if (mine.status === 'open' && record.status === 'resolved' && record.resolvedAt) {
      summary.conflictRecordsResolved += 1;
      actions.push({ kind: 'resolve', questionId: record.questionId, incomingHead: record.incomingHead, resolvedAt: record.resolvedAt, resolvedBy: record.resolvedBy, resolvedRevision: record.resolvedRevision });
    }
  }
  return actions;
}

const commentKey = (comment: ReviewCommentEntry): string => createHash('sha256').update(canonicalJson(comment)).digest('hex');

function planAssessment(local: AssessmentSnapshot | undefined, incoming: AssessmentSnapshot, now: string, summary: MergeSummary): AssessmentPlan {
  if (!local) summary.assessmentsCreated += 1;
  const localAnswers = new Map((local?.answers ?? []).map((chain) => [chain.questionId, chain]));
  const localRecords = local?.conflicts ?? [];
  const answers: AnswerAction[] = [];
  for (const chain of incoming.answers) {
    const action = planAnswer({
      questionId: chain.questionId,
      local: localAnswers.get(chain.questionId)?.history ?? [],
      incoming: chain.history,
      localRecords: localRecords.filter((record) => record.questionId === chain.questionId),
      incomingRecords: incoming.conflicts.filter((record) => record.questionId === chain.questionId),
      now,
    }, summary);
    if (action) answers.push(action);
  }
  // Records written by this merge count as local for the bundle's own records, so nothing is inserted twice.
  const planned = answers.flatMap((a) => (a.kind === 'conflict' || a.kind === 'conflict_extended' ? [a.record] : []));
  const ownRevisions = new Map((local?.answers ?? []).map((chain) => [chain.questionId, new Set(fingerprints(chain.history))]));
  const adopted = new Set(answers.flatMap((a) => (a.kind === 'adopt' ? [a.settledBy] : [])));
  const conflictRecords = planConflictRecords([...localRecords, ...planned], incoming.conflicts, ownRevisions, adopted, summary);
  // Our own open records about an answer the other side has settled are settled by the same decision.
  for (const action of answers) {
    if (action.kind !== 'adopt' || !action.settledBy.resolvedAt) continue;
    const resolving = new Set(conflictRecords.flatMap((c) => (c.kind === 'resolve' ? [`${c.questionId}\n${c.incomingHead}`] : [])));
    for (const record of localRecords.filter((r) => r.questionId === action.questionId && r.status === 'open' && !resolving.has(`${r.questionId}\n${r.incomingHead}`))) {
      summary.conflictRecordsResolved += 1;
      conflictRecords.push({ kind: 'resolve', questionId: record.questionId, incomingHead: record.incomingHead, resolvedAt: action.settledBy.resolvedAt,
        resolvedBy: action.settledBy.resolvedBy, resolvedRevision: action.settledBy.resolvedRevision });
    }
  }

  const localReviews = new Map((local?.reviews ?? []).map((review) => [review.sectionId, review]));
  const reviews = incoming.reviews.flatMap((review) => {
    const mine = localReviews.get(review.sectionId) ?? null;
    if (mine && mine.updatedAt >= review.updatedAt) return [];
    summary.reviewsUpdated += 1;
    return [{ before: mine, after: review }];
  });

  const localComments = new Set((local?.comments ?? []).map(commentKey));
  const comments = incoming.comments.filter((comment) => !localComments.has(commentKey(comment)));
  summary.commentsAdded += comments.length;

  const raise = local && incoming.questionnaireVersion > local.questionnaireVersion ? { from: local.questionnaireVersion, to: incoming.questionnaireVersion } : null;
  return {
    questionnaireId: incoming.questionnaireId,
    create: local ? null : { questionnaireVersion: incoming.questionnaireVersion, createdAt: incoming.createdAt },
    raiseVersion: raise,
    answers,
    conflictRecords,
    reviews,
    comments,
  };
}

function peopleNamed(assessments: readonly AssessmentPlan[]): string[] {
  const emails = new Set<string>();
  const add = (email: string | null): void => {
    if (email) emails.add(email);
  };
  const addEntries = (entries: readonly HistoryEntry[]): void => entries.forEach((entry) => add(entry.author));
  for (const plan of assessments) {
    for (const action of plan.answers) {
      if (action.kind === 'append' || action.kind === 'adopt') addEntries(action.entries);
      else addEntries(action.record.incoming);
    }
    for (const action of plan.conflictRecords) {
      if (action.kind === 'insert') {
        addEntries(action.record.incoming);
        add(action.record.resolvedBy);
      } else add(action.resolvedBy);
    }
    plan.reviews.forEach((review) => add(review.after.updatedBy));
    plan.comments.forEach((comment) => add(comment.author));
  }
  return [...emails].sort();
}

/**
 * Plans the merge of `incoming` into `local` (null when this installation does not have the mission).
 * `now` dates the conflict records this merge creates.
 */
export function planMerge(local: MissionBundleBody | null, incoming: MissionBundleBody, now: string): MergePlan {
  const summary = emptySummary();
  const mission = planMission(local?.mission ?? null, incoming.mission, summary);
  const localAssessments = new Map((local?.assessments ?? []).map((a) => [a.questionnaireId, a]));
  const assessments = incoming.assessments.map((assessment) => planAssessment(localAssessments.get(assessment.questionnaireId), assessment, now, summary));
  const changes = mission.kind !== 'keep' || assessments.some((plan) => plan.create !== null || plan.raiseVersion !== null || plan.answers.length > 0
    || plan.conflictRecords.length > 0 || plan.reviews.length > 0 || plan.comments.length > 0);
  return { mission, assessments, people: peopleNamed(assessments), summary, changes };
}
