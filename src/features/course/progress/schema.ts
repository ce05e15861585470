/**
 * The learner's progress file: kept in localStorage and exported to / imported from
 * a JSON file. Versioned: a file with a newer `version` is refused with a clear message.
 * Valibot, not the zod the rest of the project uses: this schema ships on every lesson page,
 * and valibot's per-function modules cost about 1.5 KB there against zod/mini's 8.6 KB (measured
 * with `npm run bench:site`).
 */
import * as v from 'valibot';

export const PROGRESS_FORMAT = 'lab-virtualisasi-progress';
export const PROGRESS_VERSION = 1;

const isoDate = v.pipe(v.string(), v.isoTimestamp());
const lessonKey = v.pipe(v.string(), v.regex(/^\d{2}-[a-z0-9-]+$/));
const count = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));

/** What is known about one lesson. */
export const lessonProgressSchema = v.strictObject({
  /** When the learner marked the lesson read (or finished its quiz). */
  readAt: v.optional(isoDate),
  /** The best quiz result so far. */
  quiz: v.optional(
    v.pipe(
      v.strictObject({ best: count(0), total: count(1), attempts: count(1), lastAt: isoDate }),
      v.check((q) => q.best <= q.total, 'best must not exceed total'),
    ),
  ),
});

export const progressSchema = v.strictObject({
  format: v.literal(PROGRESS_FORMAT),
  version: v.literal(PROGRESS_VERSION),
  updatedAt: isoDate,
  lessons: v.record(lessonKey, lessonProgressSchema),
});

export type Progress = v.InferOutput<typeof progressSchema>;
export type LessonProgress = v.InferOutput<typeof lessonProgressSchema>;

export function emptyProgress(now: Date = new Date()): Progress {
  return { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, updatedAt: now.toISOString(), lessons: {} };
}
