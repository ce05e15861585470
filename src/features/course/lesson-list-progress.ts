/**
 * Marks the server-rendered lesson lists with the learner's own progress (kept in this browser
 * only): a ✓ with words on read lessons and quiz results, and the start / continue link pointed
 * at the next unread lesson. Without JavaScript or progress the pages stay as built.
 */
import { fill } from '../../i18n/fill';
import { loadProgress, onProgressChange } from './progress/store';
import { lessonStatus, nextStep } from './progress/status';
import type { Progress } from './progress/schema';

/** One lesson as the continue link needs it (the `data-lessons` JSON of ContinueLink.astro). */
export interface ContinueLesson {
  key: string;
  n: number;
  title: string;
  url: string;
}

function badge(text: string, checked: boolean): HTMLElement {
  const span = document.createElement('span');
  span.className = checked ? 'lesson-mark lesson-mark-done' : 'lesson-mark';
  if (checked) {
    const tick = document.createElement('span');
    tick.setAttribute('aria-hidden', 'true');
    tick.textContent = '✓ ';
    span.append(tick);
  }
  span.append(text);
  return span;
}

function markLists(progress: Progress): void {
  for (const list of document.querySelectorAll<HTMLElement>('[data-lesson-marks]')) {
    const texts = list.dataset;
    for (const card of list.querySelectorAll<HTMLElement>('[data-lesson]')) {
      const slot = card.querySelector<HTMLElement>('[data-marks]');
      if (!slot) continue;
      const status = lessonStatus(progress.lessons[card.dataset['lesson'] ?? '']);
      const marks: HTMLElement[] = [];
      if (status.read) marks.push(badge(texts['markRead'] ?? '', true));
      if (status.quiz) {
        const values = { score: status.quiz.best, total: status.quiz.total };
        const template = status.quiz.passed ? texts['markPassed'] : texts['markTried'];
        marks.push(badge(fill(template ?? '', values), status.quiz.passed));
      }
      slot.replaceChildren(...marks);
      slot.hidden = marks.length === 0;
      card.toggleAttribute('data-read', status.read);
    }
  }
}

function pointContinue(progress: Progress): void {
  for (const box of document.querySelectorAll<HTMLElement>('[data-continue]')) {
    const lessons = JSON.parse(box.dataset['lessons'] ?? '[]') as ContinueLesson[];
    const link = box.querySelector<HTMLAnchorElement>('[data-continue-link]');
    const done = box.querySelector<HTMLElement>('[data-continue-done]');
    if (!link || !done) continue;
    const step = nextStep(
      lessons.map((l) => l.key),
      progress,
    );
    const lesson = step.kind === 'done' ? undefined : lessons.find((l) => l.key === step.key);
    link.hidden = lesson === undefined;
    done.hidden = step.kind !== 'done';
    if (!lesson) continue;
    link.href = lesson.url;
    const label =
      step.kind === 'start'
        ? (box.dataset['textStart'] ?? '')
        : fill(box.dataset['textContinue'] ?? '', { n: lesson.n, title: lesson.title });
    link.textContent = `${label} →`;
  }
}

function refresh(): void {
  const { progress } = loadProgress();
  markLists(progress);
  pointContinue(progress);
}

refresh();
onProgressChange(refresh);
// Back from a lesson, the page may come from the back-forward cache, as it was before reading.
addEventListener('pageshow', (event) => {
  if (event.persisted) refresh();
});
