/**
 * "Filled in" progress of the fill-in page: visible questions that hold any answer (unknown and not
 * applicable count: the expert dealt with them) out of visible questions. The server renders it and the
 * bundle recomputes it after each change with this same function. Scoring coverage (answered with a
 * level / applicable) is a different figure and comes from src/scoring.
 */
export interface Progress {
  filled: number;
  total: number;
}

export interface ProgressResult {
  sections: Map<string, Progress>;
  total: Progress;
}

export function fillProgress(
  sections: readonly { id: string; questions: readonly { id: string }[] }[],
  visible: ReadonlySet<string>,
  answered: ReadonlySet<string>,
): ProgressResult {
  const result: ProgressResult = { sections: new Map(), total: { filled: 0, total: 0 } };
  for (const section of sections) {
    const shown = section.questions.filter((question) => visible.has(question.id));
    const progress = { filled: shown.filter((question) => answered.has(question.id)).length, total: shown.length };
    result.sections.set(section.id, progress);
    result.total.filled += progress.filled;
    result.total.total += progress.total;
  }
  return result;
}
