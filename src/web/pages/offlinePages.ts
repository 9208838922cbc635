/**
 * The pages an expert needs to work through one mission without a network: the dashboard, the mission
 * and its country review, and per installed questionnaire the fill-in page, its review and the history
 * of every answered question (read-only views of what is stored). Pure: the caller supplies the data.
 */
export interface OfflineAssessment {
  id: number;
  installed: boolean;
  answeredQuestionIds: readonly string[];
}

export function offlinePagesOf(missionId: number, assessments: readonly OfflineAssessment[]): string[] {
  const pages = ['/', `/missions/${missionId}`, `/missions/${missionId}/review`];
  for (const assessment of assessments) {
    if (!assessment.installed) continue;
    pages.push(`/assessments/${assessment.id}`, `/assessments/${assessment.id}/review`);
    for (const questionId of assessment.answeredQuestionIds) pages.push(`/assessments/${assessment.id}/questions/${encodeURIComponent(questionId)}/history`);
  }
  return pages;
}
