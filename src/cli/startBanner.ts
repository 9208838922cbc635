/**
 * What `ena serve` prints on every start, so that a newcomer knows where to go and with which account:
 * the sign-in address, the demo accounts that exist (passwords only on the start that created them —
 * they are stored hashed — and otherwise how to set a new one), or how to create a first user.
 */
import type { DemoAccount } from '../demo/loadDemo.js';

export interface BannerUser {
  email: string;
  role: string;
  countries: readonly string[];
  isDemo: boolean;
  disabled: boolean;
}

export function startBanner(input: { url: string; users: readonly BannerUser[]; created: readonly DemoAccount[] }): string {
  const lines = [`ENA is listening on ${input.url}`, `Sign in at ${input.url}/login`];
  const passwords = new Map(input.created.map((account) => [account.email, account.password]));
  const demo = input.users.filter((user) => user.isDemo && !user.disabled);
  if (demo.length > 0) {
    lines.push('', passwords.size > 0
      ? 'Demo accounts (passwords shown only now, when they were created; demo data, not an assessment):'
      : 'Demo accounts (demo data, not an assessment):');
    for (const user of demo) {
      const password = passwords.get(user.email);
      const countries = user.countries.length > 0 ? `   (countries: ${user.countries.join(', ')})` : '';
      lines.push(`  ${user.role.padEnd(8)} ${user.email.padEnd(28)} ${password ?? ''}${countries}`.trimEnd());
    }
    if (passwords.size === 0) lines.push('Passwords were shown when the accounts were created. To set a new one: npx ena user passwd --email <e-mail>');
  } else if (input.users.filter((user) => !user.disabled).length === 0) {
    lines.push('', 'No user exists yet. Create an administrator: npx ena user add --email <e-mail> --role admin (or start with --demo for demo accounts)');
  }
  return lines.join('\n');
}
