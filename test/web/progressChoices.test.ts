import { describe, expect, it } from 'vitest';
import { progressChoices } from '../../src/web/pages/progressChoices.js';

const names = new Map([['KZ', 'Kazakhstan'], ['KG', 'Kyrgyzstan'], ['UZ', 'Uzbekistan']]);
const mission = (id: number, countryCode: string, startsOn: string) => ({ id, countryCode, title: `${countryCode} ${startsOn}`, startsOn });

describe('progress report choices', () => {
  it('groups missions by country name, oldest first, and starts on the last two missions of the first country with two', () => {
    const choices = progressChoices([mission(1, 'UZ', '2025-01-01'), mission(2, 'UZ', '2023-01-01'), mission(3, 'KG', '2024-01-01'), mission(4, 'UZ', '2024-06-01')], names);
    expect(choices.nothingToCompare).toBe(false);
    expect(choices.groups.map((group) => [group.countryName, group.missions.map((m) => m.id)])).toEqual([['Kyrgyzstan', [3]], ['Uzbekistan', [2, 4, 1]]]);
    const uz = choices.groups[1]?.missions ?? [];
    expect(uz.filter((m) => m.from).map((m) => m.id)).toEqual([4]);
    expect(uz.filter((m) => m.to).map((m) => m.id)).toEqual([1]);
    expect(choices.groups[0]?.missions.some((m) => m.from || m.to)).toBe(false);
  });

  it('says when no country has two missions to compare', () => {
    const choices = progressChoices([mission(1, 'KZ', '2025-01-01'), mission(2, 'KG', '2025-02-01')], names);
    expect(choices.nothingToCompare).toBe(true);
    expect(choices.groups.flatMap((group) => group.missions).some((m) => m.from || m.to)).toBe(false);
    expect(progressChoices([], names)).toEqual({ groups: [], nothingToCompare: true });
  });
});
