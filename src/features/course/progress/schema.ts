/**
 * The learner's progress file: kept in localStorage and exported to / imported from
 * a JSON file. Versioned: a file with a newer `version` is refused with a clear message.
 * Valibot, not the zod the rest of the project uses: this schema ships on every lesson page,
 * and valibot's per-function modules cost about 1.5 KB there against zod/mini's 8.6 KB (measured
 * with `npm run bench:site`).
 */
import * as v from 'valibot';

export const PROGRESS_FORMAT = 'lab-virtualisasi-progress';
/** 2: guided labs (`labs`). Version 1 files are migrated on load and import (parse.ts). */
export const PROGRESS_VERSION = 2;

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

const labKey = v.pipe(v.string(), v.regex(/^\d{2}-[a-z0-9-]+$/));
const stepId = v.pipe(v.string(), v.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/));

/** What is known about one step of a guided lab. */
export const labStepProgressSchema = v.strictObject({
  /** When its check first passed. */
  passedAt: v.optional(isoDate),
  /** Hints revealed (0–3). */
  hintsUsed: v.pipe(count(0), v.maxValue(3)),
  /** The learner opened the solution (a teacher sees it). */
  solutionShown: v.boolean(),
  /** Checks that failed before it passed. */
  failedChecks: count(0),
  /** Time spent on the step while its page was open, in seconds. */
  seconds: count(0),
});

/** One guided lab: its steps by step id (labs/<key>/lab.yaml). */
export const labProgressSchema = v.strictObject({
  steps: v.record(stepId, labStepProgressSchema),
});

/** The version 1 file, before guided labs: kept to read old files, never written. */
export const progressSchemaV1 = v.strictObject({
  format: v.literal(PROGRESS_FORMAT),
  version: v.literal(1),
  updatedAt: isoDate,
  lessons: v.record(lessonKey, lessonProgressSchema),
});

export const progressSchema = v.strictObject({
  format: v.literal(PROGRESS_FORMAT),
  version: v.literal(PROGRESS_VERSION),
  updatedAt: isoDate,
  lessons: v.record(lessonKey, lessonProgressSchema),
  /** Guided labs by lab key. */
  labs: v.record(labKey, labProgressSchema),
});

export type Progress = v.InferOutput<typeof progressSchema>;
export type ProgressV1 = v.InferOutput<typeof progressSchemaV1>;
export type LessonProgress = v.InferOutput<typeof lessonProgressSchema>;
export type LabProgress = v.InferOutput<typeof labProgressSchema>;
export type LabStepProgress = v.InferOutput<typeof labStepProgressSchema>;

export function emptyProgress(now: Date = new Date()): Progress {
  return { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, updatedAt: now.toISOString(), lessons: {}, labs: {} };
}

/** A step nobody has touched. */
export const freshStep = (): LabStepProgress => ({ hintsUsed: 0, solutionShown: false, failedChecks: 0, seconds: 0 });

/**
 * Version 1 → 2: everything kept as it was, and no lab done yet.
 * @example migrateV1({ format, version: 1, updatedAt, lessons }).labs // {}
 */
export function migrateV1(old: ProgressV1): Progress {
  return { ...old, version: PROGRESS_VERSION, labs: {} };
}
