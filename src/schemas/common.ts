import { z } from 'zod';

/** The two languages of the course. Indonesian is the default. */
export const LOCALES = ['id', 'en'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

/** A lowercase, hyphenated identifier used in URLs and references, e.g. `vm-exit`. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

/** A lesson key: the lesson's folder name, `NN-slug`, e.g. `05-virtualisasi-cpu`. */
export const lessonKeySchema = z
  .string()
  .regex(/^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lesson folder name such as 05-virtualisasi-cpu');
