/**
 * The learner's progress file: kept in localStorage and exported to / imported from
 * a JSON file. Versioned: a file with a newer `version` is refused with a clear message.
 * zod/mini keeps this small enough to ship on every lesson page.
 */
import * as z from 'zod/mini';

export const PROGRESS_FORMAT = 'lab-virtualisasi-progress';
export const PROGRESS_VERSION = 1;

const isoDate = z.iso.datetime();
const lessonKey = z.string().check(z.regex(/^\d{2}-[a-z0-9-]+$/));

/** What is known about one lesson. */
export const lessonProgressSchema = z.strictObject({
  /** When the learner marked the lesson read (or finished its quiz). */
  readAt: z.optional(isoDate),
  /** The best quiz result so far. */
  quiz: z.optional(
    z
      .strictObject({
        best: z.int().check(z.minimum(0)),
        total: z.int().check(z.minimum(1)),
        attempts: z.int().check(z.minimum(1)),
        lastAt: isoDate,
      })
      .check(z.refine((q) => q.best <= q.total, 'best must not exceed total')),
  ),
});

export const progressSchema = z.strictObject({
  format: z.literal(PROGRESS_FORMAT),
  version: z.literal(PROGRESS_VERSION),
  updatedAt: isoDate,
  lessons: z.record(lessonKey, lessonProgressSchema),
});

export type Progress = z.infer<typeof progressSchema>;
export type LessonProgress = z.infer<typeof lessonProgressSchema>;

export function emptyProgress(now: Date = new Date()): Progress {
  return { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, updatedAt: now.toISOString(), lessons: {} };
}
