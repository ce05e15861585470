/**
 * The browser side of progress: reads and writes localStorage, and tells listeners
 * (islands on the page, other tabs) when it changes. A damaged stored value is never
 * overwritten silently: it is copied to a backup key first.
 */
import { parseProgress } from './parse';
import { emptyProgress, freshStep, type LabStepProgress, type Progress } from './schema';
import { mergeProgress } from './merge';

export const STORAGE_KEY = 'labvirt.progress';
const BACKUP_PREFIX = 'labvirt.progress.damaged.';
const CHANGE_EVENT = 'labvirt:progress';

export interface LoadedProgress {
  progress: Progress;
  /** True when a stored value existed but could not be read (it was backed up). */
  damaged: boolean;
}

export function loadProgress(storage: Storage = localStorage): LoadedProgress {
  const text = storage.getItem(STORAGE_KEY);
  if (text === null) return { progress: emptyProgress(), damaged: false };
  const result = parseProgress(text);
  if (result.ok) return { progress: result.progress, damaged: false };
  const backupKey = `${BACKUP_PREFIX}${Date.now()}`;
  storage.setItem(backupKey, text);
  storage.removeItem(STORAGE_KEY);
  return { progress: emptyProgress(), damaged: true };
}

export function saveProgress(progress: Progress, storage: Storage = localStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify({ ...progress, updatedAt: new Date().toISOString() }));
  if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent(CHANGE_EVENT));
}

/** Calls `listener` when progress changes in this tab or another one. Returns an unsubscribe. */
export function onProgressChange(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener();
  };
  window.addEventListener(CHANGE_EVENT, listener);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGE_EVENT, listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function markLessonRead(key: string, now: Date = new Date()): Progress {
  const { progress } = loadProgress();
  const lesson = progress.lessons[key] ?? {};
  if (!lesson.readAt) progress.lessons[key] = { ...lesson, readAt: now.toISOString() };
  saveProgress(progress);
  return progress;
}

export function recordQuiz(key: string, score: number, total: number, now: Date = new Date()): Progress {
  const { progress } = loadProgress();
  const attempt: Progress = {
    ...progress,
    lessons: { [key]: { readAt: now.toISOString(), quiz: { best: score, total, attempts: 1, lastAt: now.toISOString() } } },
  };
  const next = mergeProgress(progress, attempt, now);
  saveProgress(next);
  return next;
}

/**
 * Changes one step of a guided lab and saves. `change` gets the step as stored (or fresh) and
 * returns the new one.
 */
export function updateLabStep(lab: string, step: string, change: (s: LabStepProgress) => LabStepProgress): Progress {
  const { progress } = loadProgress();
  const steps = progress.labs[lab]?.steps ?? {};
  const next: Progress = {
    ...progress,
    labs: { ...progress.labs, [lab]: { steps: { ...steps, [step]: change(steps[step] ?? freshStep()) } } },
  };
  saveProgress(next);
  return next;
}

/** Forgets a lab's progress (the learner's "reset lab"); one step when `step` is given. */
export function resetLabProgress(lab: string, step?: string): Progress {
  const { progress } = loadProgress();
  const labs = { ...progress.labs };
  if (step === undefined) delete labs[lab];
  else if (labs[lab]) {
    const steps = { ...labs[lab].steps };
    delete steps[step];
    labs[lab] = { steps };
  }
  const next: Progress = { ...progress, labs };
  saveProgress(next);
  return next;
}

/** The text of an export file. */
export function exportProgressText(progress: Progress): string {
  return `${JSON.stringify(progress, null, 2)}\n`;
}
