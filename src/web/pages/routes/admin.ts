/**
 * Administration pages: users (role, country assignments, disabled), countries, and per-country
 * target levels for managers. Forms post back here; every handler checks the permission first.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Questionnaire } from '../../../questionnaire/model.js';
import { isScored } from '../../../questionnaire/schema.js';
import { Problem } from '../../../shared/problem.js';
import { createCountry, getCountry, listCountries } from '../../../storage/countries.js';
import { ROLES } from '../../../storage/schema.js';
import { deleteTargetOverride, listTargetOverrides, setTargetOverride } from '../../../storage/targets.js';
import { createUser, getUser, listUsers, updateUser, type UserDto } from '../../../storage/users.js';
import { countryCode, idParam, shortText } from '../../api/validate.js';
import { hashNewPassword, randomPassword } from '../../../accounts/passwords.js';
import { MIN_PASSWORD_LENGTH } from '../../../accounts/passwordPolicy.js';
import { userFields } from '../../../accounts/userFields.js';
import { requirePermission, userOf } from '../../auth/session.js';
import type { PagesContext } from '../context.js';
import { questionnaireTitle } from '../data/summaries.js';
import { many, readForm, type FormError } from '../forms.js';
import { frameFor, sendPage } from '../frame.js';
import type { Translate } from '../translate.js';

const newUserForm = z.object(userFields);
const userUpdateForm = z.object({
  role: z.enum(ROLES),
  countries: z.array(countryCode),
  disabled: z.boolean(),
});
const countryForm = z.object({ code: countryCode, nameEn: shortText, nameRu: shortText });
const targetValue = z.union([z.literal(''), z.enum(['0', '1', '2', '3', '4'])]);

const DONE = ['created', 'updated', 'disabled', 'enabled', 'country'] as const;

/** The confirmation after a save (Post/Redirect/Get: the redirect names what was done and to whom). */
function doneMessage(req: Request, t: Translate, users: readonly UserDto[]): string | null {
  const done = DONE.find((value) => value === req.query.done);
  if (!done) return null;
  const email = typeof req.query.user === 'string' ? req.query.user : '';
  const user = users.find((candidate) => candidate.email === email);
  if (done !== 'country' && !user) return null;
  return t(`web:admin.done.${done}`, { name: user?.name ?? '', email });
}

export function adminPages(context: PagesContext): Router {
  const router = Router();
  const { db } = context.store;

  /** `done` says what was just saved (a confirmation); `temporary` carries a reset password, shown this once. */
  async function showUsers(req: Request, res: Response, errors: FormError[] = [], status = 200, temporary?: { name: string; email: string; password: string }): Promise<void> {
    const frame = frameFor(req, { title: '', pageId: 'admin' });
    frame.title = frame.t('web:admin.title');
    const countries = await listCountries(db, 'all');
    const users = await listUsers(db);
    frame.demo = users.some((u) => u.isDemo);
    sendPage(res, context.renderer, 'admin', frame, {
      errors,
      users: users.map((user) => ({
        ...user,
        self: user.id === userOf(req).id,
        roles: ROLES.map((role) => ({ value: role, selected: role === user.role })),
        countryChoices: countries.map((c) => ({ code: c.code, name: c.name[frame.lang], checked: user.countries.includes(c.code) })),
      })),
      roles: ROLES,
      countries: countries.map((c) => ({ code: c.code, name: c.name[frame.lang], nameEn: c.name.en, nameRu: c.name.ru })),
      minPassword: MIN_PASSWORD_LENGTH,
      done: doneMessage(req, frame.t, users),
      temporary: temporary ?? null,
    }, status);
  }

  router.get('/admin', requirePermission('user.manage'), async (req, res) => {
    await showUsers(req, res);
  });

  router.post('/admin/users', requirePermission('user.manage'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const t = frameFor(req, { title: '', pageId: 'admin' }).t;
    const form = readForm(newUserForm, { ...body, countries: many(body.countries) }, t);
    if (!form.ok) return showUsers(req, res, form.errors, 400);
    try {
      await createUser(db, userOf(req), { ...form.data, passwordHash: await hashNewPassword(form.data.password, [form.data.email, form.data.name]) });
    } catch (error) {
      if (error instanceof Problem && error.code === 'conflict') return showUsers(req, res, [{ field: 'email', message: t('web:admin.emailTaken') }], 409);
      if (error instanceof Problem && error.code === 'validation_failed') return showUsers(req, res, [{ field: 'password', message: t('web:form.errors.password') }], 400);
      throw error;
    }
    res.redirect(303, `/admin?done=created&user=${encodeURIComponent(form.data.email)}`);
  });

  router.post('/admin/users/:id', requirePermission('user.manage'), async (req, res) => {
    const id = idParam(req.params.id as string, 'User');
    const body = req.body as Record<string, unknown>;
    const t = frameFor(req, { title: '', pageId: 'admin' }).t;
    const form = readForm(userUpdateForm, { role: body.role, countries: many(body.countries), disabled: body.disabled === 'on' }, t);
    if (!form.ok) return showUsers(req, res, form.errors, 400);
    let before: UserDto;
    try {
      before = await getUser(db, id);
      await updateUser(db, userOf(req), id, form.data);
    } catch (error) {
      if (error instanceof Problem && error.code === 'conflict') return showUsers(req, res, [{ field: 'role', message: t('web:admin.lastAdmin') }], 409);
      throw error;
    }
    const done = before.disabled === form.data.disabled ? 'updated' : form.data.disabled ? 'disabled' : 'enabled';
    res.redirect(303, `/admin?done=${done}&user=${encodeURIComponent(before.email)}#user-${id}`);
  });

  /**
   * Password reset by an administrator: a temporary password, shown once on the answer page (never
   * stored in clear, never in a URL), which the user must replace at their next sign-in. Their open
   * sessions end (updateUser does that for every password change).
   */
  router.post('/admin/users/:id/password', requirePermission('user.manage'), async (req, res) => {
    const id = idParam(req.params.id as string, 'User');
    const user = await getUser(db, id);
    const password = randomPassword();
    await updateUser(db, userOf(req), id, { passwordHash: await hashNewPassword(password, [user.email, user.name]), mustChangePassword: true });
    await showUsers(req, res, [], 200, { name: user.name, email: user.email, password });
  });

  router.post('/admin/countries', requirePermission('country.create'), async (req, res) => {
    const t = frameFor(req, { title: '', pageId: 'admin' }).t;
    const body = req.body as Record<string, unknown>;
    const form = readForm(countryForm, { ...body, code: typeof body.code === 'string' ? body.code.trim().toUpperCase() : body.code }, t);
    if (!form.ok) return showUsers(req, res, form.errors, 400);
    try {
      await createCountry(db, userOf(req), { code: form.data.code, name: { en: form.data.nameEn, ru: form.data.nameRu } });
    } catch (error) {
      if (error instanceof Problem && error.code === 'conflict') return showUsers(req, res, [{ field: 'code', message: t('web:admin.countryExists') }], 409);
      throw error;
    }
    res.redirect(303, '/admin?done=country#countries');
  });

  /** Target levels per country: the questionnaire default unless a manager overrides it. */
  router.get('/admin/targets', requirePermission('target.write'), async (req, res) => {
    const frame = frameFor(req, { title: '', pageId: 'targets' });
    frame.title = frame.t('web:targets.title');
    const countries = await listCountries(db, 'all');
    const selected = typeof req.query.country === 'string' ? countries.find((c) => c.code === req.query.country) : countries[0];
    const overrides = selected ? await listTargetOverrides(db, selected.code) : [];
    const overrideOf = (q: Questionnaire, questionId: string): number | undefined =>
      overrides.find((o) => o.questionnaireId === q.id && o.questionId === questionId)?.target;
    sendPage(res, context.renderer, 'targets', frame, {
      countries: countries.map((c) => ({ code: c.code, name: c.name[frame.lang], selected: c.code === selected?.code })),
      country: selected ? { code: selected.code, name: selected.name[frame.lang] } : null,
      saved: req.query.saved === '1',
      questionnaires: context.questionnaires.questionnaires.map((q) => ({
        id: q.id,
        title: questionnaireTitle(q, frame.lang),
        questions: q.questions.filter((p) => isScored(p.question)).map((p) => {
          const question = p.question as Extract<typeof p.question, { target: number }>;
          const override = overrideOf(q, question.id);
          return {
            id: question.id,
            field: `t.${q.id}.${question.id}`,
            number: `${p.sectionIndex + 1}.${p.section.questions.indexOf(p.question) + 1}`,
            text: question.text[frame.lang],
            defaultTarget: question.target,
            options: [
              { value: '', label: frame.t('web:targets.default', { level: question.target }), selected: override === undefined },
              ...[0, 1, 2, 3, 4].map((level) => ({ value: String(level), label: String(level), selected: override === level })),
            ],
          };
        }),
      })),
    });
  });

  router.post('/admin/targets', requirePermission('target.write'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const code = countryCode.safeParse(body.country);
    if (!code.success) throw Problem.validation('Choose a country.', [{ path: 'country', message: 'must be an ISO 3166 alpha-2 code' }]);
    const country = await getCountry(db, code.data);
    const overrides = await listTargetOverrides(db, country.code);
    const user = userOf(req);
    for (const questionnaire of context.questionnaires.questionnaires) {
      for (const { question } of questionnaire.questions) {
        if (!isScored(question)) continue;
        const raw = body[`t.${questionnaire.id}.${question.id}`];
        if (raw === undefined) continue;
        const parsed = targetValue.safeParse(raw);
        if (!parsed.success) throw Problem.validation(`Target for ${question.id} must be empty or 0–4.`, [{ path: `t.${questionnaire.id}.${question.id}`, message: 'must be empty or 0–4' }]);
        const existing = overrides.find((o) => o.questionnaireId === questionnaire.id && o.questionId === question.id)?.target;
        const key = { countryCode: country.code, questionnaireId: questionnaire.id, questionId: question.id };
        if (parsed.data === '') {
          if (existing !== undefined) await deleteTargetOverride(db, user, key);
        } else if (Number(parsed.data) !== existing) {
          await setTargetOverride(db, user, { ...key, target: Number(parsed.data) });
        }
      }
    }
    res.redirect(303, `/admin/targets?country=${country.code}&saved=1`);
  });

  return router;
}
