/**
 * Enhances the fill-in form: every change is recorded in the pending queue and saved in the
 * background, conditional questions appear and disappear as answers change (the server's evaluator,
 * bundled), section progress follows, and conflicts open a dialog that shows both versions.
 * Without this script the form still works: it posts to the server and re-renders.
 */
import { visibleQuestions } from '../../conditions/evaluate.js';
import type { AnswerValue } from '../../questionnaire/answerValue.js';
import { answerKey, dottedDate, fieldName, questionIdOfField, readAnswerFields, type AnswerFields } from './answerFields.js';
import { Autosaver, type SaveStatus } from './autosave.js';
import { asEvaluatorInput, describeValue, type ClientModel, type ClientQuestion } from './clientModel.js';
import { answerFieldsOf, keptFields, mergeProposals, PendingQueue, type MergeableField, type PendingOp } from './pendingQueue.js';
import { fillProgress, unansweredQuestions } from '../../assessment/progress.js';
import { renewCsrfToken } from './sessionRenewal.js';

export interface FillStrings {
  saved: string;
  saving: string;
  offline: string;
  signedOut: string;
  attention: string;
  savedRevision: string;
  unsent: string;
  rejected: string;
  waitingForAnswer: string;
  notANumber: string;
  notADate: string;
  value: string;
  note: string;
  source: string;
  evidence: string;
  theirsMeta: string;
  theirsBy: string;
  differs: string;
  none: string;
}

const format = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

function newOpId(): string {
  return crypto.randomUUID();
}

export function enhanceFillForm(form: HTMLFormElement): void {
  const model = JSON.parse(form.dataset.model ?? '{}') as ClientModel;
  const strings = JSON.parse(form.dataset.strings ?? '{}') as FillStrings;
  const assessmentId = form.dataset.assessment ?? '';
  const readOnly = form.hasAttribute('data-readonly');
  const questions = new Map<string, ClientQuestion>();
  for (const section of model.sections) for (const question of section.questions) questions.set(question.id, question);
  const evaluatorInput = asEvaluatorInput(model);
  const statusElement = form.querySelector<HTMLElement>('[data-save-status]');
  form.querySelector<HTMLElement>('[data-nojs]')?.setAttribute('hidden', '');

  const read = (question: ClientQuestion, data = new FormData(form)): AnswerFields => {
    return readAnswerFields(question, (name) => data.getAll(name).filter((v): v is string => typeof v === 'string'));
  };
  // Looked up once: a change re-evaluates every question, and large questionnaires must stay quick.
  const articles = new Map([...form.querySelectorAll<HTMLElement>('[data-question]')].map((element) => [element.dataset.question ?? '', element]));
  const articleOf = (questionId: string): HTMLElement | null => articles.get(questionId) ?? null;
  const byData = (attribute: string): Map<string, HTMLElement> =>
    new Map([...document.querySelectorAll<HTMLElement>(`[${attribute}]`)].map((element) => [element.getAttribute(attribute) ?? '', element]));
  const sectionElements = byData('data-section');
  const navItems = byData('data-section-nav');
  const sectionCounts = byData('data-section-progress');

  // What the server holds, per question: the baseline for "did anything change".
  const savedKeys = new Map<string, string>();
  const answered = new Set<string>();
  const rendered: Record<string, number> = {};
  for (const question of questions.values()) {
    const revision = Number(articleOf(question.id)?.querySelector<HTMLInputElement>('[data-revision]')?.value ?? '0');
    rendered[question.id] = revision;
    if (revision > 0) {
      answered.add(question.id);
      savedKeys.set(question.id, answerKey(read(question)));
    }
  }

  const queue = new PendingQueue(window.localStorage, `ena.pending.${form.dataset.user ?? 'anonymous'}.${assessmentId}`, newOpId);
  // A page served from the offline copy may predate answers this browser saved since: show those.
  for (const [questionId, fields] of queue.learnRevisions(rendered)) {
    const question = questions.get(questionId);
    if (!question) continue;
    writeFields(form, question, fields);
    answered.add(questionId);
    savedKeys.set(questionId, answerKey(fields));
    const revisionInput = articleOf(questionId)?.querySelector<HTMLInputElement>('[data-revision]');
    if (revisionInput) revisionInput.value = String(queue.revisionOf(questionId));
  }

  // Unsent changes from an earlier visit go back into the form before anything else happens.
  for (const op of queue.ops()) {
    const question = questions.get(op.questionId);
    if (question) writeFields(form, question, op.fields);
  }

  function updateVisibility(): void {
    // Only answers the server holds or the expert has touched count: an untouched multiple choice
    // reads as an empty list, which is not the same as no answer.
    const filled = new Set([...answered, ...queue.ops().map((op) => op.questionId)]);
    const values = new Map<string, AnswerValue>();
    const data = new FormData(form);
    for (const question of questions.values()) {
      if (!filled.has(question.id)) continue;
      const fields = read(question, data);
      if (fields.value !== undefined) values.set(question.id, fields.value);
    }
    const visible = visibleQuestions(evaluatorInput, values);
    const progress = fillProgress(model.sections, visible, filled);
    for (const question of questions.values()) {
      const article = articleOf(question.id);
      if (article) article.hidden = !visible.has(question.id);
    }
    for (const section of model.sections) {
      const shown = section.questions.some((question) => visible.has(question.id));
      const element = sectionElements.get(section.id);
      if (element) element.hidden = !shown;
      const navItem = navItems.get(section.id);
      if (navItem) navItem.hidden = !shown;
      const count = sectionCounts.get(section.id);
      const sectionProgress = progress.sections.get(section.id);
      if (count && sectionProgress) count.textContent = `${sectionProgress.filled}/${sectionProgress.total}`;
    }
    const total = document.querySelector<HTMLElement>('[data-progress-total]');
    if (total) total.textContent = `${progress.total.filled} / ${progress.total.total}`;
    const bar = document.querySelector<HTMLProgressElement>('[data-progress-bar]');
    if (bar) {
      bar.max = Math.max(1, progress.total.total);
      bar.value = progress.total.filled;
    }
    unanswered = unansweredQuestions(model.sections, visible, filled);
    if (nextLink) {
      nextLink.hidden = unanswered.length === 0;
      nextLink.href = unanswered[0] ? `#q-${unanswered[0]}` : '#';
    }
    if (allAnswered) allAnswered.hidden = unanswered.length > 0;
  }

  // "Next unanswered question": the first one after the question the expert is in, else the first.
  const nextLink = document.querySelector<HTMLAnchorElement>('[data-next-unanswered]');
  const allAnswered = document.querySelector<HTMLElement>('[data-all-answered]');
  let unanswered: string[] = [];
  const order = new Map(model.sections.flatMap((section) => section.questions).map((question, index) => [question.id, index]));
  // Clicking the link takes the focus from the question: remember where the expert was.
  let lastQuestion: string | undefined;
  form.addEventListener('focusin', (event) => {
    lastQuestion = (event.target as HTMLElement).closest<HTMLElement>('[data-question]')?.dataset.question ?? lastQuestion;
  });
  nextLink?.addEventListener('click', (event) => {
    event.preventDefault();
    const current = lastQuestion;
    const after = current === undefined ? -1 : order.get(current) ?? -1;
    const target = unanswered.find((id) => (order.get(id) ?? 0) > after) ?? unanswered[0];
    const article = target ? articleOf(target) : null;
    if (!article) return;
    article.scrollIntoView({ block: 'start' });
    article.querySelector<HTMLElement>('input:not([type="hidden"]), select, textarea')?.focus({ preventScroll: true });
  });

  function showStatus(status: SaveStatus): void {
    // A read-only form keeps the server's words ("Read only: …"): nothing is saved from it.
    if (!statusElement || readOnly) return;
    let text: string;
    switch (status.kind) {
      case 'saved': text = strings.saved; break;
      case 'held': text = format(strings.waitingForAnswer, { n: status.held }); break;
      case 'saving': text = format(strings.saving, { n: status.waiting }); break;
      case 'offline': text = format(strings.offline, { n: status.waiting }); break;
      case 'signedOut': text = format(strings.signedOut, { n: status.waiting }); break;
      case 'attention': text = format(strings.attention, { conflicts: status.conflicts, rejected: status.rejected, n: status.waiting }); break;
    }
    statusElement.textContent = text;
    statusElement.dataset.state = status.kind === 'held' ? 'attention' : status.kind;
  }

  // What each question's state line said when it was last in step with the server.
  const savedStates = new Map([...articles].map(([id, article]) => [id, article.querySelector<HTMLElement>('[data-question-state]')?.textContent ?? '']));

  function markQuestion(questionId: string, state: string | null, error: string | null): void {
    const article = articleOf(questionId);
    if (!article) return;
    if (state !== null) {
      const stateElement = article.querySelector<HTMLElement>('[data-question-state]');
      if (stateElement) stateElement.textContent = state;
    }
    const errorElement = article.querySelector<HTMLElement>('[data-question-error]');
    if (errorElement) {
      errorElement.textContent = error ?? '';
      errorElement.hidden = error === null;
    }
    article.classList.toggle('question--error', error !== null);
  }

  const dialog = new ConflictDialog(document.querySelector<HTMLDialogElement>('#conflict-dialog'), model, strings);

  const saver = new Autosaver(queue, {
    assessmentId,
    csrfToken,
    startOffline: !navigator.onLine,
    renewSession: () => renewCsrfToken(document),
    fetch: (input, init) => window.fetch(input, init),
    events: {
      status: showStatus,
      saved(op: PendingOp, revision: number) {
        answered.add(op.questionId);
        savedKeys.set(op.questionId, answerKey(op.fields));
        const revisionInput = articleOf(op.questionId)?.querySelector<HTMLInputElement>('[data-revision]');
        if (revisionInput) revisionInput.value = String(revision);
        const savedState = format(strings.savedRevision, { revision });
        savedStates.set(op.questionId, savedState);
        // A later change of the same question may already be waiting: then it is not "saved" yet.
        const stillUnsent = queue.ops().some((other) => other.questionId === op.questionId);
        markQuestion(op.questionId, stillUnsent ? strings.unsent : savedState, null);
      },
      conflict: (op) => dialog.enqueue(op),
      rejected(op: PendingOp, message: string) {
        markQuestion(op.questionId, null, format(strings.rejected, { message }));
      },
    },
  });

  dialog.onKeepMine = (op, merged) => {
    queue.keepMine(op.opId, merged);
    // What is sent (theirs kept where mine was empty) is what the form shows.
    const kept = queue.ops().find((candidate) => candidate.questionId === op.questionId);
    const question = questions.get(op.questionId);
    if (kept && question) writeFields(form, question, kept.fields);
    saver.kick();
  };
  dialog.onTakeTheirs = (op) => {
    const question = questions.get(op.questionId);
    queue.takeTheirs(op.opId);
    if (question && op.theirs) {
      const theirs = dtoToFields(op.theirs);
      writeFields(form, question, theirs);
      savedKeys.set(question.id, answerKey(theirs));
      answered.add(question.id);
      const revisionInput = articleOf(question.id)?.querySelector<HTMLInputElement>('[data-revision]');
      if (revisionInput) revisionInput.value = String(op.theirs.revision);
    }
    updateVisibility();
    showStatus(saver.status());
    saver.kick();
  };

  /**
   * Text in a number or date field that is not a number or a date: said at the field (and marked
   * invalid), or the expert, seeing what they typed, believes it is saved when nothing can be.
   */
  const unreadable = (question: ClientQuestion, fields: AnswerFields): string | null => {
    if (question.type !== 'number' && question.type !== 'date') return null;
    const inputs = [...form.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(fieldName.value(question.id))}"]`)];
    const wrong = fields.value === undefined && inputs.some((input) => input.value.trim() !== '');
    for (const input of inputs) {
      if (wrong) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
    if (!wrong) return null;
    return question.type === 'number' ? strings.notANumber : strings.notADate;
  };

  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  function onChange(event: Event, typing: boolean): void {
    if (readOnly) return;
    const target = event.target as HTMLInputElement | null;
    const questionId = target?.name ? questionIdOfField(target.name) : undefined;
    const question = questionId ? questions.get(questionId) : undefined;
    if (!target || !question) return;
    if (target.hasAttribute('data-special') && target.checked) {
      // Unknown and not applicable exclude each other and any answer: what is on screen is what is saved.
      for (const other of form.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(fieldName.special(question.id))}"]`)) if (other !== target) other.checked = false;
      clearAnswerControls(form, question);
    } else if (!target.hasAttribute('data-special') && target.name !== fieldName.note(question.id) && target.name !== fieldName.source(question.id) && target.name !== fieldName.evidence(question.id)) {
      // Typing an answer means it is no longer unknown.
      for (const special of form.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(fieldName.special(question.id))}"]`)) special.checked = false;
    }
    const fields = read(question);
    queue.record(question.id, fields, savedKeys.get(question.id));
    const conflict = queue.conflictOf(question.id);
    if (conflict) dialog.refresh(conflict);
    // Never ahead of the server: "saved" only comes back with the server's revision.
    const unsent = queue.ops().some((op) => op.questionId === question.id);
    markQuestion(question.id, unsent ? strings.unsent : savedStates.get(question.id) ?? null, unreadable(question, fields));
    updateVisibility();
    showStatus(saver.status());
    const pending = typingTimers.get(question.id);
    if (pending) clearTimeout(pending);
    if (typing) typingTimers.set(question.id, setTimeout(() => saver.kick(), 600));
    else saver.kick();
  }
  form.addEventListener('input', (event) => {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && !['radio', 'checkbox'].includes(target.type))) onChange(event, true);
  });
  form.addEventListener('change', (event) => {
    // A date field reports a change for every complete date while the expert is still typing the year.
    const target = event.target as HTMLElement;
    onChange(event, target instanceof HTMLInputElement && target.type === 'date');
  });
  form.addEventListener('submit', (event) => {
    // With the script running every change is already saved; the button is only for script-less use.
    event.preventDefault();
    saver.kick();
  });
  window.addEventListener('online', () => saver.networkBack());
  // Back to this tab after signing in again elsewhere: pick up the new session and go on sending.
  window.addEventListener('focus', () => saver.resume());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') saver.resume();
  });
  window.addEventListener('offline', () => saver.networkLost());

  for (const op of queue.ops()) {
    const question = questions.get(op.questionId);
    if (op.state === 'waiting' && !readOnly) markQuestion(op.questionId, strings.unsent, question ? unreadable(question, op.fields) : null);
    if (op.state === 'conflict') dialog.enqueue(op);
    if (op.state === 'rejected' && op.error) markQuestion(op.questionId, null, format(strings.rejected, { message: op.error }));
  }
  showStatus(saver.status());
  if (readOnly) return;
  // A disabled (read-only) form submits nothing, so visibility stays as the server rendered it.
  updateVisibility();
  saver.kick();
}

const dtoToFields = answerFieldsOf;

/** Empties a question's answer controls (not its note, source or evidence), e.g. when "Unknown" is ticked. */
function clearAnswerControls(form: HTMLFormElement, question: ClientQuestion): void {
  const byName = (name: string): HTMLInputElement[] => [...form.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(name)}"]`)];
  for (const input of byName(fieldName.value(question.id))) {
    if (input.type === 'checkbox' || input.type === 'radio') input.checked = false;
    else input.value = '';
  }
  for (const rowId of question.rowIds ?? []) {
    for (const name of [fieldName.rowStatus(question.id, rowId), fieldName.rowProvision(question.id, rowId), fieldName.rowNote(question.id, rowId)]) {
      for (const input of byName(name)) input.value = '';
    }
  }
}

/** Puts an answer back into the question's controls (restoring unsent changes, taking the server's version). */
export function writeFields(form: HTMLFormElement, question: ClientQuestion, fields: AnswerFields): void {
  const byName = (name: string): HTMLInputElement[] => [...form.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(name)}"]`)];
  const value = fields.value;
  const special = value === 'unknown' || value === 'not_applicable' ? value : undefined;
  switch (question.type) {
    case 'maturity':
    case 'yes_partial_no':
    case 'single_choice':
      for (const input of byName(fieldName.value(question.id))) input.checked = value !== undefined && input.value === String(value);
      break;
    case 'multiple_choice':
      for (const input of byName(fieldName.value(question.id))) input.checked = Array.isArray(value) && value.includes(input.value);
      break;
    case 'number':
    case 'date':
      // The Russian form's date field is text in DD.MM.YYYY (see isoDateOf).
      for (const input of byName(fieldName.value(question.id))) input.value = value === undefined ? fields.typed ?? '' : special ? '' : input.type === 'text' ? dottedDate(String(value)) : String(value);
      break;
    case 'text':
      for (const input of byName(fieldName.value(question.id))) input.value = value === undefined || special ? '' : String(value);
      break;
    case 'alignment_table': {
      const rows = typeof value === 'object' && !Array.isArray(value) ? value.rows : {};
      for (const rowId of question.rowIds ?? []) {
        const row = rows[rowId];
        for (const input of byName(fieldName.rowStatus(question.id, rowId))) input.value = row?.status ?? '';
        for (const input of byName(fieldName.rowProvision(question.id, rowId))) input.value = row?.provision ?? '';
        for (const input of byName(fieldName.rowNote(question.id, rowId))) input.value = row?.note ?? '';
      }
      break;
    }
  }
  if (['multiple_choice', 'number', 'alignment_table'].includes(question.type)) {
    for (const input of byName(fieldName.special(question.id))) input.checked = input.value === special;
  }
  for (const input of byName(fieldName.note(question.id))) input.value = fields.note ?? '';
  for (const input of byName(fieldName.source(question.id))) input.value = fields.source ?? '';
  for (const input of byName(fieldName.evidence(question.id))) input.checked = input.value === fields.evidence;
}

/**
 * One conflict at a time, in a modal dialog: the expert's version beside the server's, and two
 * explicit choices. Escape does not close it: leaving a conflict undecided would leave the change in
 * limbo, and it stays in the queue (and comes back after a reload) until decided.
 */
class ConflictDialog {
  private readonly waiting: PendingOp[] = [];
  private current: PendingOp | null = null;
  onKeepMine: (op: PendingOp, merged?: AnswerFields) => void = () => undefined;
  onTakeTheirs: (op: PendingOp) => void = () => undefined;

  constructor(private readonly element: HTMLDialogElement | null, private readonly model: ClientModel, private readonly strings: FillStrings) {
    element?.addEventListener('cancel', (event) => event.preventDefault());
    element?.querySelector('[data-conflict-keep-mine]')?.addEventListener('click', () => this.decide('mine'));
    element?.querySelector('[data-conflict-take-theirs]')?.addEventListener('click', () => this.decide('theirs'));
    element?.querySelector('[data-conflict-keep-merged]')?.addEventListener('click', () => this.decide('merged'));
  }

  /** The expert's version of the conflict on screen changed (keystrokes that were already on their way). */
  refresh(op: PendingOp): void {
    if (this.current?.questionId !== op.questionId) return;
    this.current = op;
    const question = this.model.sections.flatMap((s) => s.questions).find((q) => q.id === op.questionId);
    if (question) this.fill('[data-conflict-mine]', question, op.fields, op.theirs ? dtoToFields(op.theirs) : { value: undefined });
  }

  enqueue(op: PendingOp): void {
    if (this.current?.questionId === op.questionId || this.waiting.some((w) => w.questionId === op.questionId)) return;
    this.waiting.push(op);
    if (!this.current) this.showNext();
  }

  private showNext(): void {
    const next = this.waiting.shift();
    this.current = next ?? null;
    if (!next || !this.element) return;
    const question = this.model.sections.flatMap((s) => s.questions).find((q) => q.id === next.questionId);
    if (!question) return;
    const set = (selector: string, text: string): void => {
      const target = this.element?.querySelector<HTMLElement>(selector);
      if (target) target.textContent = text;
    };
    set('[data-conflict-question]', question.text);
    const theirs = next.theirs;
    this.fill('[data-conflict-mine]', question, next.fields, theirs ? dtoToFields(theirs) : { value: undefined });
    this.fill('[data-conflict-theirs]', question, theirs ? dtoToFields(theirs) : { value: undefined }, next.fields);
    const time = theirs ? new Date(theirs.updatedAt).toLocaleString(document.documentElement.lang) : '';
    const author = next.theirsAuthor;
    set('[data-conflict-theirs-meta]', !theirs ? '' : author
      ? format(this.strings.theirsBy, { name: author.name, role: this.model.roleLabels?.[author.role] ?? author.role, revision: theirs.revision, time })
      : format(this.strings.theirsMeta, { revision: theirs.revision, time }));
    this.proposeMerge(question, next.fields, theirs ? dtoToFields(theirs) : { value: undefined });
    if (!this.element.open) this.element.showModal();
    this.element.querySelector<HTMLButtonElement>('[data-conflict-keep-mine]')?.focus();
  }

  /** Texts written differently on both sides get an editable merge (mine, then theirs) and a third choice. */
  private proposeMerge(question: ClientQuestion, mine: AnswerFields, theirs: AnswerFields): void {
    const proposals = mergeProposals(mine, theirs, question.type === 'text');
    const any = Object.keys(proposals).length > 0;
    const section = this.element?.querySelector<HTMLElement>('[data-conflict-merge]');
    const button = this.element?.querySelector<HTMLButtonElement>('[data-conflict-keep-merged]');
    if (section) section.hidden = !any;
    if (button) button.hidden = !any;
    for (const row of this.element?.querySelectorAll<HTMLElement>('[data-merge-row]') ?? []) {
      const field = row.dataset.mergeRow as MergeableField;
      const proposal = proposals[field];
      row.hidden = proposal === undefined;
      const input = row.querySelector<HTMLTextAreaElement>('textarea');
      if (input) input.value = proposal ?? '';
    }
  }

  /** The expert's version with the merged texts they edited in the dialog, the rest kept as "keep mine" keeps it. */
  private mergedFields(op: PendingOp): AnswerFields {
    const merged: AnswerFields = op.theirs ? keptFields(op.fields, op.theirs) : { ...op.fields };
    for (const row of this.element?.querySelectorAll<HTMLElement>('[data-merge-row]:not([hidden])') ?? []) {
      const field = row.dataset.mergeRow as MergeableField;
      const text = row.querySelector<HTMLTextAreaElement>('textarea')?.value.trim() ?? '';
      if (field === 'value') merged.value = text || merged.value;
      else merged[field] = text || undefined;
    }
    return merged;
  }

  /** One version as a list; with `other`, the rows that differ from it are marked (value, note, source, evidence). */
  private fill(selector: string, question: ClientQuestion, fields: AnswerFields, other?: AnswerFields): void {
    const list = this.element?.querySelector<HTMLElement>(selector);
    if (!list) return;
    list.replaceChildren();
    const describe = (version: AnswerFields): string[] => [
      describeValue(this.model, question, version.value),
      version.note ?? this.strings.none,
      version.source ?? this.strings.none,
      version.evidence ? (this.model.evidenceLabels[version.evidence] ?? version.evidence) : this.strings.none,
    ];
    const mine = describe(fields);
    const theirs = other ? describe(other) : mine;
    const terms = [this.strings.value, this.strings.note, this.strings.source, this.strings.evidence];
    terms.forEach((term, index) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = mine[index] ?? '';
      if (mine[index] !== theirs[index]) {
        dt.classList.add('conflict-diff');
        dd.classList.add('conflict-diff');
        const marker = document.createElement('span');
        marker.className = 'conflict-diff__marker';
        marker.textContent = ` (${this.strings.differs})`;
        dt.append(marker);
      }
      list.append(dt, dd);
    });
  }

  private decide(choice: 'mine' | 'theirs' | 'merged'): void {
    const op = this.current;
    if (!op) return;
    const merged = choice === 'merged' ? this.mergedFields(op) : undefined;
    this.element?.close();
    this.current = null;
    if (choice === 'theirs') this.onTakeTheirs(op);
    else this.onKeepMine(op, merged);
    this.showNext();
  }
}
