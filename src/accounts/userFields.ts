/** A user's fields as every path that writes them checks them (API, admin pages, CLI). */
import { z } from 'zod';
import { countryCode, email, languageCode, shortText } from '../shared/fields.js';
import { ROLES } from '../storage/schema.js';
import { passwordProblem } from './passwordPolicy.js';

export const role = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
/** The policy without the account's own e-mail and name (hashNewPassword checks those too). */
export const password = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export const userFields = {
  email,
  name: shortText,
  password,
  role,
  language: languageCode,
  countries: z.array(countryCode).max(250, 'has too many entries (at most 250)'),
};
