import type { LessonProgress, Progress } from './schema';

/**
 * The share of a quiz's questions a learner must answer right to pass it: 70 %, like the pass
 * mark (KKM) most SMK subjects use.
 */
export const QUIZ_PASS_RATIO = 0.7;

export interface LessonStatus {
  read: boolean;
  /** The best quiz result, when the quiz was taken. */
  quiz?: { best: number; total: number; passed: boolean };
}

/**
 * What the lesson lists show for one lesson.
 * @example lessonStatus({ readAt: '…', quiz: { best: 3, total: 4, … } }) // { read: true, quiz: { best: 3, total: 4, passed: true } }
 */
export function lessonStatus(lesson: LessonProgress | undefined): LessonStatus {
  const status: LessonStatus = { read: Boolean(lesson?.readAt) };
  const quiz = lesson?.quiz;
  if (quiz) status.quiz = { best: quiz.best, total: quiz.total, passed: quiz.best >= quiz.total * QUIZ_PASS_RATIO };
  return status;
}

export type NextStep = { kind: 'start'; key: string } | { kind: 'continue'; key: string } | { kind: 'done' };

/**
 * Where the "start / continue" button leads: a new learner starts at the first lesson; once any
 * lesson is read, the first unread lesson in course order comes next (a skipped lesson is not
 * forgotten); when every lesson is read, the course is done.
 * @example nextStep(['01-a', '02-b'], { lessons: { '01-a': { readAt } } }) // { kind: 'continue', key: '02-b' }
 */
export function nextStep(keys: readonly string[], progress: Pick<Progress, 'lessons'>): NextStep {
  const read = (key: string) => Boolean(progress.lessons[key]?.readAt);
  const first = keys[0];
  if (first === undefined) return { kind: 'done' };
  if (!keys.some(read)) return { kind: 'start', key: first };
  const next = keys.find((key) => !read(key));
  return next === undefined ? { kind: 'done' } : { kind: 'continue', key: next };
}
