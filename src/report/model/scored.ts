/** Runs the scoring module over one mission's assessments: the one place reports call it. Pure. */
import type { Catalogue } from '../../questionnaire/model.js';
import { rankRecommendations, type RankedRecommendation } from '../../scoring/recommendations.js';
import { scoreCountry, scoreQuestionnaire, type CountryScore, type QuestionnaireScore, type TargetOverrides } from '../../scoring/score.js';
import type { Scope } from '../../questionnaire/vocabulary.js';
import type { AssessmentInput } from '../input.js';
import { areaTitle, questionNumbers, type Text } from './common.js';

export interface ScoredArea {
  assessment: AssessmentInput;
  /** Chapter number of the area in the report. */
  number: number;
  title: Text;
  score: QuestionnaireScore;
  ranked: RankedRecommendation[];
  numbers: Map<string, string>;
}

export interface ScoredMission {
  areas: ScoredArea[];
  country: CountryScore;
}

/**
 * `firstNumber` is the chapter number of the first area, so question numbers match the headings.
 * `scope` narrows the scoring further than the mission's own (already scoped) questionnaires: `core`
 * scores a full mission over the core indicators only, as a core mission would have been scored, while
 * its questions keep the numbers of the mission's own report.
 */
export function scoreMission(assessments: readonly AssessmentInput[], catalogue: Catalogue, targets: TargetOverrides, firstNumber = 1, scope: Scope = 'full'): ScoredMission {
  const areas = assessments.map((assessment, index): ScoredArea => {
    const score = scoreQuestionnaire(assessment.questionnaire, catalogue, assessment.answers, targets, scope);
    return {
      assessment,
      number: firstNumber + index,
      title: areaTitle(assessment.questionnaire),
      score,
      ranked: rankRecommendations(assessment.questionnaire, score),
      numbers: questionNumbers(firstNumber + index, assessment.questionnaire),
    };
  });
  return { areas, country: scoreCountry(areas.map((area) => area.score)) };
}
