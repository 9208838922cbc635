/**
 * Every migration, in order. Listed here rather than read from the folder so that they run the same
 * under tsx, in a bundle and in tests. Never edit a released migration: add a new one.
 */
import type { Migration } from 'kysely';
import * as initial from './0001_initial.js';
import * as questionnaireSnapshots from './0002_questionnaire_snapshots.js';
import * as exchange from './0100_exchange.js';
import * as missionScope from './0210_mission_scope.js';
import * as reportDrafts from './0220_report_drafts.js';
import * as assessmentCompletion from './0230_assessment_completion.js';
import * as reviewCommentThreads from './0231_review_comment_threads.js';
import * as passwordChangeRequired from './0232_password_change_required.js';
import * as rateLimits from './0250_rate_limits.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_questionnaire_snapshots': questionnaireSnapshots,
  '0100_exchange': exchange,
  '0210_mission_scope': missionScope,
  '0220_report_drafts': reportDrafts,
  '0230_assessment_completion': assessmentCompletion,
  '0231_review_comment_threads': reviewCommentThreads,
  '0232_password_change_required': passwordChangeRequired,
  '0250_rate_limits': rateLimits,
};
