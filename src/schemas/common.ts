import { z } from 'zod';
import { LOCALES } from '../i18n/locale.ts';

/** The two languages of the course (src/i18n/locale.ts). Indonesian is the default. */
export const localeSchema = z.enum(LOCALES);

/** A lowercase, hyphenated identifier used in URLs and references, e.g. `vm-exit`. */
export const slugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

/** A lesson key: the lesson's folder name, `NN-slug`, e.g. `05-virtualisasi-cpu`. */
export const lessonKeySchema = z
  .string()
  .regex(/^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lesson folder name such as 05-virtualisasi-cpu');
