/**
 * The mission choices of the progress-report form: a progress report compares two missions of one
 * country, so the options are grouped by country (oldest first) and the form starts on a pair it can
 * make, the last two missions of the first country that has two. Pure.
 */
export interface MissionChoice { id: number; countryCode: string; title: string; startsOn: string }

export interface ProgressChoices {
  groups: { countryCode: string; countryName: string; missions: (MissionChoice & { from: boolean; to: boolean })[] }[];
  /** No country has two missions yet: there is nothing to compare. */
  nothingToCompare: boolean;
}

export function progressChoices(missions: readonly MissionChoice[], countryNames: ReadonlyMap<string, string>): ProgressChoices {
  const byCountry = new Map<string, MissionChoice[]>();
  for (const mission of missions) byCountry.set(mission.countryCode, [...(byCountry.get(mission.countryCode) ?? []), mission]);
  const nameOf = (code: string): string => countryNames.get(code) ?? code;
  const codes = [...byCountry.keys()].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const chronological = (list: readonly MissionChoice[]): MissionChoice[] => [...list].sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id - b.id);
  const pairCountry = codes.find((code) => (byCountry.get(code)?.length ?? 0) >= 2);
  const pair = pairCountry === undefined ? [] : chronological(byCountry.get(pairCountry) ?? []).slice(-2);
  return {
    groups: codes.map((code) => ({
      countryCode: code,
      countryName: nameOf(code),
      missions: chronological(byCountry.get(code) ?? []).map((mission) => ({ ...mission, from: mission === pair[0], to: mission === pair[1] })),
    })),
    nothingToCompare: pairCountry === undefined,
  };
}
