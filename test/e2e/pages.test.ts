/**
 * The server-rendered pages over real HTTP against the real app and a real SQLite file: sign-in,
 * language, every page per role, the script-less save of the fill-in form, error pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAnswers } from '../../src/storage/answers.js';
import { PageClient, startSeededServer, type Seeded } from './helpers.js';

let seeded: Seeded;
beforeAll(async () => {
  seeded = await startSeededServer();
});
afterAll(async () => {
  await seeded?.close();
});

describe('sign-in and language', () => {
  it('sends a signed-out visitor to the sign-in page and signs in through the form', async () => {
    const client = new PageClient(seeded.url);
    const front = await client.get('/');
    expect(front.status).toBe(303);
    expect(front.location).toBe('/login');
    const wrong = await client.post('/login', { email: 'expert@ena.test', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('The e-mail address or password is not correct.');
    expect(wrong.html).toContain('value="expert@ena.test"');
    await client.signIn('expert@ena.test');
    const dashboard = await client.get('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.html).toContain('Elena Expert');
    expect(dashboard.html).toContain('Kazakhstan needs assessment 2025');
    expect(dashboard.html).not.toContain('Kyrgyzstan');
  });

  it('shows the sign-in page in Russian after the switch, and remembers the signed-in user\'s choice', async () => {
    const client = new PageClient(seeded.url);
    const switched = await client.get('/language?language=ru&returnTo=%2Flogin');
    expect(switched.location).toBe('/login');
    expect((await client.get('/login')).html).toContain('Вход в систему');
    await client.signIn('viewer@ena.test');
    // The viewer's saved language is English: it wins over the visitor cookie.
    expect((await client.get('/')).html).toContain('<html lang="en">');
    const saved = await client.post('/language', { language: 'ru', returnTo: '/' });
    expect(saved.status).toBe(303);
    const russian = await client.get('/');
    expect(russian.html).toContain('<html lang="ru">');
    expect(russian.html).toContain('Обзор');
    const again = new PageClient(seeded.url);
    await again.signIn('viewer@ena.test');
    expect((await again.get('/')).html).toContain('<html lang="ru">');
    await again.post('/language', { language: 'en', returnTo: '/' });
  });

  it('refuses a language change without the CSRF token', async () => {
    const client = new PageClient(seeded.url);
    await client.signIn('expert@ena.test');
    client.csrfToken = '';
    const refused = await client.post('/language', { language: 'ru', returnTo: '/' });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('This form belongs to an earlier session');
  });

  it('never redirects to another site after sign-in', async () => {
    const client = new PageClient(seeded.url);
    const result = await client.post('/login', { email: 'expert@ena.test', password: 'correct horse battery staple', next: '//evil.example/' });
    expect(result.location).toBe('/');
  });
});

describe('pages per role', () => {
  it('marks demo missions visibly and escapes user text', async () => {
    const client = new PageClient(seeded.url);
    await client.signIn('manager@ena.test');
    const dashboard = await client.get('/');
    expect(dashboard.html).toContain('Demo data — not an assessment');
    expect(dashboard.html).toContain('Demo mission &lt;i&gt;Almaty&lt;/i&gt;');
    const mission = await client.get(`/missions/${seeded.missions.kzDemo.id}`);
    expect(mission.html).toContain('<p class="demo-marking" role="note">Demo data — not an assessment</p>');
    const real = await client.get(`/missions/${seeded.missions.kz.id}`);
    expect(real.html).not.toContain('class="demo-marking"');
    expect(real.html).toContain('Prosecutor&#x27;s Office');
    expect(real.html).toContain('Ministry of Digital Development');
    expect(real.html).toContain(`/missions/${seeded.missions.kz.id}/report?lang=ru`);
  });

  it('names the report preview languages in the page\'s language, as the report language lists do', async () => {
    const client = new PageClient(seeded.url);
    await client.signIn('manager@ena.test');
    await client.post('/language', { language: 'ru', returnTo: '/' });
    const id = seeded.missions.kz.id;
    const links = (html: string) => [...html.matchAll(/<a href="\/missions\/\d+\/report\?lang=\w+"[^>]*>([^<]*)<\/a>/g)].map((match) => match[1]);
    expect(links((await client.get(`/missions/${id}`)).html)).toEqual(['Английский', 'Русский', 'Английский и русский']);
    expect(links((await client.get(`/missions/${id}/report-workspace`)).html)).toEqual(['Просмотр на английском языке', 'Просмотр на русском языке']);
    await client.post('/language', { language: 'en', returnTo: '/' });
  });

  it('shows an expert the fill-in page of an assigned country and a 403 page for another country', async () => {
    const client = new PageClient(seeded.url);
    await client.signIn('expert@ena.test');
    const fill = await client.get(`/assessments/${seeded.assessment('kz', 'cooperation-demo')}`);
    expect(fill.status).toBe(200);
    expect(fill.html).toContain('Is the country a party to the Convention?');
    expect(fill.html).not.toContain('data-readonly');
    for (const path of [`/assessments/${seeded.assessment('kg', 'cooperation-demo')}`, `/missions/${seeded.missions.kg.id}`, `/missions/${seeded.missions.kg.id}/review`, `/assessments/${seeded.assessment('kg', 'cooperation-demo')}/review`]) {
      const denied = await client.get(path);
      expect(denied.status, path).toBe(403);
      expect(denied.html).toContain('Access denied');
      expect(denied.html).not.toContain('Kyrgyzstan needs assessment');
    }
  });

  it('gives a viewer a read-only form and refuses their script-less save', async () => {
    const client = new PageClient(seeded.url);
    await client.signIn('viewer@ena.test');
    const fill = await client.get(`/assessments/${seeded.assessment('kz', 'cooperation-demo')}`);
    expect(fill.html).toContain('data-readonly');
    const refused = await client.post(`/assessments/${seeded.assessment('kz', 'cooperation-demo')}`, { 'q.treaty-party.rev': '0', 'q.treaty-party.value': 'no' });
    expect(refused.status).toBe(403);
  });

  it('keeps the admin page to administrators', async () => {
    const expert = new PageClient(seeded.url);
    await expert.signIn('expert@ena.test');
    expect((await expert.get('/admin')).status).toBe(403);
    expect((await expert.get('/admin/targets')).status).toBe(403);
    const admin = new PageClient(seeded.url);
    await admin.signIn('admin@ena.test');
    const page = await admin.get('/admin');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Erik &lt;b&gt;Second&lt;/b&gt;');
  });

  it('answers a form that conflicts with what is stored with a 409 page in the reader\'s language', async () => {
    const client = new PageClient(seeded.url);
    await client.signIn('manager@ena.test');
    await client.get(`/missions/${seeded.missions.kz.id}`);
    // The mission already has an assessment of this questionnaire (a second tab's form, say).
    const twice = await client.post(`/missions/${seeded.missions.kz.id}/assessments`, { questionnaireId: 'cooperation-demo' });
    expect(twice.status).toBe(409);
    expect(twice.html).toContain('Changed meanwhile');
    expect(twice.html).not.toContain('could not be processed');
  });

  it('tells the sender of a form from an earlier session what happened, not "access denied"', async () => {
    const client = new PageClient(seeded.url);
    await client.signIn('expert@ena.test');
    client.csrfToken = 'token-of-an-earlier-session';
    const refused = await client.post('/language', { language: 'ru', returnTo: '/' });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('This form belongs to an earlier session');
    expect(refused.html).not.toContain('assign the country');
  });

  it('answers unknown pages with a 404 page and unknown API routes with JSON', async () => {
    const client = new PageClient(seeded.url);
    await client.signIn('expert@ena.test');
    const page = await client.get('/no/such/page');
    expect(page.status).toBe(404);
    expect(page.html).toContain('Page not found');
    const api = await client.request('/api/no/such/route');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    const signedOut = await new PageClient(seeded.url).get(`/missions/${seeded.missions.kz.id}`);
    expect(signedOut.status).toBe(401);
    expect(signedOut.html).toContain('Please sign in');
  });
});

describe('the fill-in form without JavaScript', () => {
  it('saves what changed, skips untouched questions, and reports a stale revision as a conflict without overwriting', async () => {
    const id = seeded.assessment('kz', 'preservation-demo');
    const client = new PageClient(seeded.url);
    await client.signIn('expert@ena.test');
    const saved = await client.post(`/assessments/${id}`, {
      'q.preservation-power.rev': '0', 'q.preservation-power.value': '3', 'q.preservation-power.note': 'Art. 164 CPC', 'q.preservation-power.evidence': 'documented',
      'q.preservation-days.rev': '0', 'q.preservation-days.value': '',
      'q.documents-received.rev': '0', 'q.documents-received.value': '',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/assessments/${id}?saved=1`);
    let answers = await listAnswers(seeded.server.store.db, id);
    expect(answers.map((a) => [a.questionId, a.value, a.note, a.evidence, a.revision])).toEqual([['preservation-power', 3, 'Art. 164 CPC', 'documented', 1]]);
    // Who made the last edit is named on the dashboard (it once read "by true").
    expect((await client.get('/')).html).toMatch(/last edit [^<]* by Elena Expert/);

    const stale = await client.post(`/assessments/${id}`, { 'q.preservation-power.rev': '0', 'q.preservation-power.value': '1' });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('were changed by someone else meanwhile');
    // The expert's version stays in the form, on top of the current revision.
    expect(stale.html).toMatch(/id="q-preservation-power-v-1" name="q.preservation-power.value" value="1" checked/);
    expect(stale.html).toContain('name="q.preservation-power.rev" value="1"');
    answers = await listAnswers(seeded.server.store.db, id);
    expect(answers[0]?.value).toBe(3);

    const invalid = await client.post(`/assessments/${id}`, { 'q.preservation-power.rev': '1', 'q.preservation-power.value': '3', 'q.preservation-days.rev': '0', 'q.preservation-days.value': '-5' });
    expect(invalid.html).toContain('the value does not fit this question');
  });
});

describe('review, history and administration', () => {
  it('renders the review with a radar chart, ranked gaps and evidence gaps, and records section review and comments', async () => {
    const id = seeded.assessment('kz', 'cooperation-demo');
    const client = new PageClient(seeded.url);
    await client.signIn('expert@ena.test');
    await client.post(`/assessments/${id}`, {
      'q.treaty-party.rev': '0', 'q.treaty-party.value': 'partial',
      'q.channel.rev': '0', 'q.channel.value': 'diplomatic',
      'q.requests-per-year.rev': '0', 'q.requests-per-year.special': 'unknown',
    });
    const review = await client.get(`/assessments/${id}/review`);
    expect(review.status).toBe(200);
    expect(review.html).toContain('<svg viewBox="-100 -40 620 500" role="img"');
    expect(review.html).toContain('Accede to the Convention.');
    expect(review.html).toContain('Designate a central authority.');
    expect(review.html.indexOf('Accede to the Convention.')).toBeLessThan(review.html.indexOf('Designate a central authority.'));
    expect(review.html).toContain('Outgoing requests per year');
    const state = await client.post(`/assessments/${id}/sections/basis/review`, { state: 'in_review' });
    expect(state.status).toBe(303);
    await client.post(`/assessments/${id}/sections/basis/comments`, { body: 'Check the <ratification> date' });
    const after = await client.get(`/assessments/${id}/review`);
    expect(after.html).toContain('1. Legal basis — in review');
    expect(after.html).toContain('Check the &lt;ratification&gt; date');
    const country = await client.get(`/missions/${seeded.missions.kz.id}/review`);
    expect(country.html).toContain('role="img"');

    const history = await client.get(`/assessments/${id}/questions/treaty-party/history`);
    expect(history.html).toContain('Partially');
    expect(history.html).toContain('Elena Expert');
  });

  it('lets an administrator create a country and a user, and a manager set a target level', async () => {
    const admin = new PageClient(seeded.url);
    await admin.signIn('admin@ena.test');
    expect((await admin.post('/admin/countries', { code: 'tj', nameEn: 'Tajikistan', nameRu: 'Таджикистан' })).status).toBe(303);
    const created = await admin.post('/admin/users', { email: 'new@ena.test', name: 'New Expert', role: 'expert', language: 'ru', password: 'a long enough passphrase', countries: ['KZ', 'TJ'] });
    expect(created.status).toBe(303);
    const short = await admin.post('/admin/users', { email: 'short@ena.test', name: 'Short', role: 'expert', language: 'en', password: 'short', countries: [] });
    expect(short.status).toBe(400);
    expect(short.html).toContain('Enter a password of at least 12 characters that is not easy to guess');
    const page = await admin.get('/admin');
    expect(page.html).toContain('new@ena.test');
    expect(page.html).toMatch(/name="countries" value="TJ" checked/);

    const manager = new PageClient(seeded.url);
    await manager.signIn('manager@ena.test');
    const targets = await manager.get('/admin/targets?country=KZ');
    expect(targets.html).toContain('default (4)');
    const saved = await manager.post('/admin/targets', { country: 'KZ', 't.cooperation-demo.treaty-party': '2' });
    expect(saved.location).toBe('/admin/targets?country=KZ&saved=1');
    expect((await manager.get('/admin/targets?country=KZ')).html).toMatch(/<option value="2" selected>2<\/option>/);
  });
});
