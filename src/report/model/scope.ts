/**
 * Mission scope in comparisons. A `core` mission asked only the core indicators and a `full` one every
 * question; scores are weighted means over the questions a mission asked (src/scoring/score.ts), so two
 * missions of different scopes are scored over different sets of questions. The regional and progress
 * reports say so; the progress report also compares both missions over the set they share. Pure.
 */
import { DEFAULT_SCOPE, type Scope } from '../../questionnaire/vocabulary.js';
import type { MissionInput } from '../input.js';
import { both, type Text } from './common.js';

export const scopeOf = (mission: Pick<MissionInput, 'scope'>): Scope => mission.scope ?? DEFAULT_SCOPE;

export interface ScopeView {
  scope: Scope;
  /** Short, for a table cell: "Core indicators" / "Full". */
  label: Text;
}

export const scopeView = (scope: Scope): ScopeView => ({ scope, label: both(`report:mission.scopeShort.${scope}`) });

export const scopesDiffer = (scopes: readonly Scope[]): boolean => new Set(scopes).size > 1;

/**
 * The questions every one of the missions asked: the core set as soon as one mission was `core`
 * (the core set is part of every full mission), else every question.
 */
export const commonScope = (scopes: readonly Scope[]): Scope => (scopes.includes('core') ? 'core' : 'full');

/**
 * The notice of a regional comparison whose countries had missions of different scopes, naming which
 * countries were assessed on the core indicators only and which on every question; null when all agree.
 */
export function regionalScopeNotice(countries: readonly { code: string; scope: Scope }[]): Text | null {
  if (!scopesDiffer(countries.map((country) => country.scope))) return null;
  const codes = (scope: Scope): string => countries.filter((country) => country.scope === scope).map((country) => country.code).join(', ');
  return both('report:regional.scopeNotice', { core: codes('core'), full: codes('full') });
}

/**
 * The notice of a progress report whose two missions had different scopes. Both missions are then
 * compared over the core indicators only; `ownScore` is the overall score the full-scope mission has
 * over all its questions (its own country report's figure), so a reader can tell why the two differ.
 */
export function progressScopeNotice(baseline: Scope, followUp: Scope, ownScore: Text): Text | null {
  if (baseline === followUp) return null;
  return both(`report:progress.scopeNotice.${baseline === 'full' ? 'baselineFull' : 'followUpFull'}`, { score: ownScore });
}
