import type { LabProgress, LabStepProgress, LessonProgress, Progress } from './schema';

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
  const labs: Record<string, LabProgress> = { ...current.labs };
  for (const [key, theirs] of Object.entries(incoming.labs)) {
    const ours = labs[key];
    labs[key] = ours ? mergeLab(ours, theirs) : theirs;
  }
  return { ...current, updatedAt: now.toISOString(), lessons, labs };
}

/** Per step: passed at the earliest date; hints, failed checks and time at their largest (merging a file twice changes nothing); a solution once shown stays shown. */
function mergeLab(a: LabProgress, b: LabProgress): LabProgress {
  const steps: Record<string, LabStepProgress> = { ...a.steps };
  for (const [id, theirs] of Object.entries(b.steps)) {
    const ours = steps[id];
    if (!ours) {
      steps[id] = theirs;
      continue;
    }
    const passedAt = [ours.passedAt, theirs.passedAt].filter((d): d is string => d !== undefined).sort()[0];
    steps[id] = {
      ...(passedAt ? { passedAt } : {}),
      hintsUsed: Math.max(ours.hintsUsed, theirs.hintsUsed),
      solutionShown: ours.solutionShown || theirs.solutionShown,
      failedChecks: Math.max(ours.failedChecks, theirs.failedChecks),
      seconds: Math.max(ours.seconds, theirs.seconds),
    };
  }
  return { steps };
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
