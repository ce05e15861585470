/**
 * The glossary's filter box: hides the entries that do not hold every typed word (in the term,
 * its aliases or its explanation; case and accents ignored), hides letters left empty, greys
 * their A–Z links, and says how many entries match in a polite live region. Built hidden, so a
 * page without JavaScript shows every entry and no box that does nothing.
 */
import { fill } from '../../i18n/fill';
import { foldText, matches } from './glossary-index';

/** Quiet time after the last key before the count is announced, so a reader hears it once. */
const ANNOUNCE_DELAY_MS = 400;

export function initGlossaryFilter(): void {
  const form = document.querySelector<HTMLFormElement>('[data-glossary-filter]');
  const input = form?.querySelector('input');
  const count = form?.querySelector<HTMLElement>('[data-glossary-count]');
  if (!form || !input || !count) return;
  const entries = [...document.querySelectorAll<HTMLElement>('.glossary-entry')].map((el) => ({
    el,
    text: foldText([...el.querySelectorAll('[data-filter-text]')].map((p) => p.textContent).join(' ')),
  }));
  const letters = [...document.querySelectorAll<HTMLElement>('.glossary-letter')];
  const bar = new Map([...document.querySelectorAll<HTMLAnchorElement>('[data-az]')].map((a) => [a.dataset['az'] ?? '', a]));
  let timer: ReturnType<typeof setTimeout> | undefined;

  const apply = (announce: boolean) => {
    const query = input.value.trim();
    let shown = 0;
    for (const entry of entries) {
      const hit = matches(entry.text, query);
      entry.el.hidden = !hit;
      if (hit) shown += 1;
    }
    for (const section of letters) {
      const empty = section.querySelector('.glossary-entry:not([hidden])') === null;
      section.hidden = empty;
      const link = bar.get(section.dataset['letter'] ?? '');
      if (!link) continue;
      // A link to a hidden letter would go nowhere: it loses its href (and its tab stop) meanwhile.
      if (empty) {
        link.dataset['href'] ??= link.getAttribute('href') ?? '';
        link.removeAttribute('href');
      } else if (link.dataset['href'] !== undefined) {
        link.setAttribute('href', link.dataset['href']);
      }
      link.classList.toggle('az-empty', empty);
    }
    const text =
      shown === 0
        ? fill(form.dataset['none'] ?? '', { query })
        : fill(form.dataset['count'] ?? '', { n: shown, total: entries.length });
    clearTimeout(timer);
    if (announce) timer = setTimeout(() => (count.textContent = text), ANNOUNCE_DELAY_MS);
    else count.textContent = text;
  };

  form.addEventListener('submit', (event) => event.preventDefault());
  input.addEventListener('input', () => apply(true));
  // A link to an entry the filter hides (a "see also" term) clears the filter first.
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest<HTMLAnchorElement>('a[href^="#"]');
    const target = link ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null;
    if (target?.closest('[hidden]') && input.value !== '') {
      input.value = '';
      apply(false);
    }
  });
  form.hidden = false;
  // The browser may restore a typed filter when the learner comes back to the page.
  apply(false);
}
