/**
 * Reading HTML form bodies with the same zod schemas as the API, and turning a failure into messages
 * in the reader's language: each field has its own "what to enter" text under web:form.errors.
 */
import type { Translate } from './translate.js';
import type { z } from 'zod';

export interface FormError {
  field: string;
  message: string;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormError[] };

export function readForm<T>(schema: z.ZodType<T>, body: unknown, t: Translate): FormResult<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const seen = new Set<string>();
  const errors: FormError[] = [];
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: t(`web:form.errors.${field}`, { defaultValue: t('web:form.errors.form') }) });
  }
  return { ok: false, errors };
}

/** One entry per non-blank line of a textarea. */
export const lines = (value: unknown): string[] => (typeof value === 'string' ? value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean) : []);

/** A form field that may arrive once or several times (checkboxes). */
export const many = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);
