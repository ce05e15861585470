/**
 * The lab index's filters (lesson, where it runs, level): pure matching plus the page script that
 * hides the cards that do not match and says how many show. Built hidden, so a page without
 * JavaScript shows every lab and no filter that does nothing.
 */
import { fill } from '../../i18n/fill';

export interface LabCardFacts {
  readonly lessons: readonly string[];
  readonly runsOn: string;
  readonly level: string;
}

/** Empty string: any. */
export interface LabFilter {
  readonly lesson: string;
  readonly runsOn: string;
  readonly level: string;
}

/** @example labMatches({ lessons: ['05-x'], runsOn: 'pc', level: 'beginner' }, { lesson: '05-x', runsOn: '', level: '' }) // true */
export function labMatches(card: LabCardFacts, filter: LabFilter): boolean {
  return (
    (filter.lesson === '' || card.lessons.includes(filter.lesson)) &&
    (filter.runsOn === '' || card.runsOn === filter.runsOn) &&
    (filter.level === '' || card.level === filter.level)
  );
}

export function initLabFilter(): void {
  const form = document.querySelector<HTMLFormElement>('[data-lab-filter]');
  const count = form?.querySelector<HTMLElement>('[data-lab-count]');
  const none = document.querySelector<HTMLElement>('[data-lab-none]');
  if (!form || !count || !none) return;
  const cards = [...document.querySelectorAll<HTMLElement>('[data-lab-card]')];
  const value = (name: string) => form.querySelector<HTMLSelectElement>(`select[name="${name}"]`)?.value ?? '';
  const apply = () => {
    const filter = { lesson: value('lesson'), runsOn: value('runsOn'), level: value('level') };
    let shown = 0;
    for (const card of cards) {
      const hit = labMatches(
        {
          lessons: (card.dataset['lessons'] ?? '').split(' '),
          runsOn: card.dataset['runsOn'] ?? '',
          level: card.dataset['level'] ?? '',
        },
        filter,
      );
      card.hidden = !hit;
      if (hit) shown += 1;
    }
    count.textContent = fill(count.dataset['template'] ?? '', { shown, total: cards.length });
    none.hidden = shown > 0;
  };
  form.addEventListener('change', apply);
  form.addEventListener('submit', (event) => event.preventDefault());
  form.hidden = false;
  apply();
}
