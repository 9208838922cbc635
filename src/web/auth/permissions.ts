/**
 * Who may do what: one pure function that every route asks. Roles:
 * - admin: everything, including users;
 * - manager: all countries, reports, target levels, missions;
 * - expert: read and answer in the countries assigned to them;
 * - viewer: read-only, assigned countries.
 */
import type { Role } from '../../storage/schema.js';

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  language: 'en' | 'ru';
  /** ISO codes of assigned countries (only meaningful for experts and viewers). */
  countries: readonly string[];
}

export type Action =
  | 'country.read'
  | 'country.create'
  | 'country.update'
  | 'mission.create'
  | 'mission.update'
  | 'answer.write'
  | 'review.write'
  | 'target.write'
  | 'report.generate'
  | 'report.preview'
  | 'export.read'
  | 'bundle.import'
  | 'user.manage'
  | 'audit.read';

const everywhere: Record<Role, readonly Action[]> = {
  admin: ['country.read', 'country.create', 'country.update', 'mission.create', 'mission.update', 'answer.write', 'review.write', 'target.write', 'report.generate', 'report.preview', 'export.read', 'bundle.import', 'user.manage', 'audit.read'],
  manager: ['country.read', 'country.create', 'country.update', 'mission.create', 'mission.update', 'answer.write', 'review.write', 'target.write', 'report.generate', 'report.preview', 'export.read', 'bundle.import'],
  expert: [],
  viewer: [],
};

const inAssignedCountries: Record<Role, readonly Action[]> = {
  admin: [],
  manager: [],
  expert: ['country.read', 'answer.write', 'review.write', 'report.preview'],
  viewer: ['country.read'],
};

/** May `user` do `action`, on `countryCode` when the action concerns one country? */
export function can(user: SessionUser, action: Action, countryCode?: string): boolean {
  if (everywhere[user.role].includes(action)) return true;
  if (!inAssignedCountries[user.role].includes(action)) return false;
  return countryCode !== undefined && user.countries.includes(countryCode);
}

/** Countries whose data `user` may see, or 'all'. */
export function visibleCountries(user: SessionUser): 'all' | readonly string[] {
  return everywhere[user.role].includes('country.read') ? 'all' : user.countries;
}
