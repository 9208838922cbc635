import type { Command } from 'commander';
import { Problem } from '../../shared/problem.js';
import { SYSTEM } from '../../storage/audit.js';
import type { Store } from '../../storage/db.js';
import { ROLES } from '../../storage/schema.js';

/** The same field limits as the API and the admin pages (zod and the password policy load with the command). */
async function cliUserSchema() {
  const [{ z }, { userFields }] = await Promise.all([import('zod'), import('../../accounts/userFields.js')]);
  return z.strictObject({ email: userFields.email, name: userFields.name, role: userFields.role, language: userFields.language, countries: userFields.countries });
}

/** Reads one line from a pipe (`echo … | ena user add`), or asks twice without echo on a terminal. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += String(chunk);
    return data.split(/\r?\n/)[0] ?? '';
  }
  const ask = (prompt: string): Promise<string> => new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (key: string): void => {
      for (const char of key) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          reject(new Problem('bad_request', 'Cancelled.'));
          return;
        }
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
  const first = await ask('Password: ');
  if ((await ask('Repeat the password: ')) !== first) throw new Problem('bad_request', 'The two passwords differ. Nothing was changed; run the command again.');
  return first;
}

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const [{ databaseLocation, loadConfig }, { openStore }] = await Promise.all([import('../../config/env.js'), import('../../storage/db.js')]);
  const store = await openStore(databaseLocation(loadConfig()));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function checkedPasswordHash(userInputs: readonly string[]): Promise<string> {
  const { hashNewPassword } = await import('../../accounts/passwords.js');
  return hashNewPassword(await readPassword(), userInputs);
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('user accounts in ENA_DB');

  user
    .command('add')
    .description('create a user; the password is read from stdin (a pipe) or asked for on a terminal')
    .requiredOption('--email <email>', 'sign-in e-mail')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--country <codes>', 'assigned countries for experts and viewers, e.g. KZ,KG')
    .option('--name <name>', 'display name (default: the part of the e-mail before @)')
    .option('--language <language>', 'en or ru', 'en')
    .action(async (options: { email: string; role: string; country?: string; name?: string; language: string }) => {
      const parsed = (await cliUserSchema()).safeParse({
        email: options.email, name: options.name ?? options.email.split('@')[0] ?? options.email, role: options.role, language: options.language,
        countries: (options.country ?? '').split(',').map((c) => c.trim().toUpperCase()).filter(Boolean),
      });
      if (!parsed.success) {
        const details = parsed.error.issues.map((issue) => ({ path: `--${String(issue.path[0] ?? 'email').replace('countries', 'country')}`, message: issue.message }));
        throw Problem.validation(`Nothing was created: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}.`, details);
      }
      const { countries, role } = parsed.data;
      if ((role === 'expert' || role === 'viewer') && countries.length === 0) {
        console.error(`Note: a ${role} without --country sees no country until an administrator assigns one.`);
      }
      const passwordHash = await checkedPasswordHash([parsed.data.email, parsed.data.name]);
      const { createUser } = await import('../../storage/users.js');
      const created = await withStore((store) => createUser(store.db, SYSTEM, { ...parsed.data, passwordHash }));
      console.log(`Created ${created.role} ${created.email} (id ${created.id})${created.countries.length > 0 ? ` for ${created.countries.join(', ')}` : ''}.`);
    });

  user
    .command('passwd')
    .description('set a new password for a user (read from stdin or asked for); ends their sessions')
    .requiredOption('--email <email>', 'the user')
    .action(async (options: { email: string }) => {
      const { findUserByEmail, updateUser } = await import('../../storage/users.js');
      await withStore(async (store) => {
        const found = await findUserByEmail(store.db, options.email);
        if (!found) throw Problem.notFound(`User ${options.email}`);
        await updateUser(store.db, SYSTEM, found.id, { passwordHash: await checkedPasswordHash([found.email, found.name]) });
        console.log(`Password of ${found.email} changed; their open sessions were ended.`);
      });
    });

  user
    .command('list')
    .description('list users with role and countries')
    .action(async () => {
      const { listUsers } = await import('../../storage/users.js');
      const users = await withStore((store) => listUsers(store.db));
      for (const u of users) console.log(`${u.email.padEnd(32)} ${u.role.padEnd(8)} ${u.countries.join(',').padEnd(12)} ${u.disabled ? 'disabled' : ''}${u.isDemo ? ' demo' : ''}`.trimEnd());
      if (users.length === 0) console.log('No users yet: ena user add --email … --role admin');
    });
}
