import type { LessonProgress, Progress } from './schema';

/**
 * Merges an imported file into the current progress without losing anything from
 * either: a lesson counts as read at its earliest date, the best quiz score wins and
 * attempts add up.
 * @example mergeProgress(a, b).lessons['01-x'].quiz.best // max of both
 */
export function mergeProgress(current: Progress, incoming: Progress, now: Date = new Date()): Progress {
  const lessons: Record<string, LessonProgress> = { ...current.lessons };
  for (const [key, theirs] of Object.entries(incoming.lessons)) {
    const ours = lessons[key];
    lessons[key] = ours ? mergeLesson(ours, theirs) : theirs;
  }
  return { ...current, updatedAt: now.toISOString(), lessons };
}

function mergeLesson(a: LessonProgress, b: LessonProgress): LessonProgress {
  const merged: LessonProgress = {};
  const readAt = [a.readAt, b.readAt].filter((d): d is string => d !== undefined).sort()[0];
  if (readAt) merged.readAt = readAt;
  if (a.quiz && b.quiz) {
    const better = a.quiz.best / a.quiz.total >= b.quiz.best / b.quiz.total ? a.quiz : b.quiz;
    merged.quiz = {
      ...better,
      attempts: a.quiz.attempts + b.quiz.attempts,
      lastAt: a.quiz.lastAt > b.quiz.lastAt ? a.quiz.lastAt : b.quiz.lastAt,
    };
  } else {
    const quiz = a.quiz ?? b.quiz;
    if (quiz) merged.quiz = quiz;
  }
  return merged;
}
