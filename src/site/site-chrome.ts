/**
 * Small page-wide behaviours that need a few lines of script: the theme toggle, the phone
 * menu, glossary tooltips kept inside the window, dismissed with Escape (WCAG 1.4.13) and opened
 * by a first tap on a touch screen, keyboard access to tables that scroll sideways, and the
 * service worker.
 */
const THEME_KEY = 'labvirt.theme';

function currentTheme(): 'light' | 'dark' {
  const set = document.documentElement.dataset['theme'];
  if (set === 'light' || set === 'dark') return set;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Room kept between a tooltip and the window's edge, in CSS pixels. */
const TIP_MARGIN = 8;

/**
 * Moves a term's tooltip sideways so it lies inside the window, and below the term when there is
 * no room above. Runs as the tooltip opens; it is measured while laid out for that moment only.
 */
function placeTip(term: HTMLElement): void {
  const tip = term.querySelector<HTMLElement>('.term-tip');
  if (!tip) return;
  tip.style.removeProperty('--tip-shift');
  term.classList.remove('term-below');
  tip.style.display = 'block';
  const box = tip.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  let shift = 0;
  if (box.right > width - TIP_MARGIN) shift = width - TIP_MARGIN - box.right;
  if (box.left + shift < TIP_MARGIN) shift = TIP_MARGIN - box.left;
  if (shift !== 0) tip.style.setProperty('--tip-shift', `${Math.round(shift)}px`);
  if (box.top < TIP_MARGIN) term.classList.add('term-below');
  tip.style.removeProperty('display');
}

/**
 * Every table scrolls sideways in its own box when it is wider than the page (global.css). A table
 * that does takes keyboard focus, so it can be scrolled without a mouse (WCAG 2.1.1); one that
 * fits stays out of the tab order. Checked again when the window or the fonts change, and when an
 * island draws or fills a table.
 */
function focusableWideTables(): void {
  const pending = new Set<HTMLTableElement>();
  let scheduled = false;
  const check = () => {
    scheduled = false;
    for (const table of pending) {
      const scrolls = getComputedStyle(table).overflowX !== 'visible' && table.scrollWidth > table.clientWidth;
      if (scrolls && !table.hasAttribute('tabindex')) {
        table.tabIndex = 0;
        table.dataset['scrollFocus'] = '';
      } else if (!scrolls && table.dataset['scrollFocus'] !== undefined) {
        table.removeAttribute('tabindex');
        delete table.dataset['scrollFocus'];
      }
    }
    pending.clear();
  };
  const queue = (tables: Iterable<HTMLTableElement>) => {
    for (const table of tables) pending.add(table);
    if (!scheduled && pending.size > 0) {
      scheduled = true;
      requestAnimationFrame(check);
    }
  };
  const all = () => document.querySelectorAll('table');
  queue(all());
  addEventListener('resize', () => queue(all()));
  document.fonts.addEventListener('loadingdone', () => queue(all()));
  new MutationObserver((records) => {
    const tables = new Set<HTMLTableElement>();
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      const around = target?.closest('table');
      if (around) tables.add(around);
      for (const node of record.addedNodes) {
        if (node instanceof HTMLTableElement) tables.add(node);
        else if (node instanceof Element) node.querySelectorAll('table').forEach((t) => tables.add(t));
      }
    }
    queue(tables);
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
}

/**
 * On a touch screen there is no hover: the first tap on a glossary term shows its definition, a
 * second tap on it opens the glossary entry, and a tap anywhere else closes the definition.
 */
function touchTerms(): void {
  let touch = false;
  const closeAll = (except?: Element) => {
    document.querySelectorAll('.term-open').forEach((el) => {
      if (el !== except) el.classList.remove('term-open');
    });
  };
  document.addEventListener(
    'pointerdown',
    (event) => {
      touch = event.pointerType === 'touch';
      closeAll((event.target as Element | null)?.closest('.term') ?? undefined);
    },
    { passive: true },
  );
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest<HTMLElement>('.term-link');
    const term = link?.closest<HTMLElement>('.term');
    // detail 0: a click from the keyboard (Enter), which follows the link as always.
    if (!touch || event.detail === 0 || !term || term.classList.contains('term-open')) return;
    event.preventDefault();
    term.classList.remove('term-dismissed');
    term.classList.add('term-open');
    placeTip(term);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeAll();
  });
}

export function initChrome(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]')) {
    button.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
    button.addEventListener('click', () => {
      const next = currentTheme() === 'dark' ? 'light' : 'dark';
      document.documentElement.dataset['theme'] = next;
      button.setAttribute('aria-pressed', String(next === 'dark'));
      try {
        localStorage.setItem(THEME_KEY, next);
      } catch {
        /* storage blocked: the choice lasts for this page only */
      }
    });
  }

  const menuButton = document.querySelector<HTMLButtonElement>('[data-menu-toggle]');
  const setMenu = (open: boolean) => menuButton?.setAttribute('aria-expanded', String(open));
  menuButton?.addEventListener('click', () => setMenu(menuButton.getAttribute('aria-expanded') !== 'true'));

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const tip of document.querySelectorAll('.term')) tip.classList.add('term-dismissed');
    if (menuButton?.getAttribute('aria-expanded') === 'true') {
      setMenu(false);
      menuButton.focus();
    }
  });
  document.addEventListener('focusin', (event) => {
    const term = (event.target as Element | null)?.closest<HTMLElement>('.term');
    document.querySelectorAll('.term-dismissed').forEach((el) => {
      if (el !== term) el.classList.remove('term-dismissed');
    });
    if (term) {
      placeTip(term);
      // Focus may scroll the term into view after this event: place it again where it ended up.
      requestAnimationFrame(() => placeTip(term));
    }
  });
  document.addEventListener('mouseover', (event) => {
    const term = (event.target as Element | null)?.closest<HTMLElement>('.term');
    if (!term) return;
    if (!term.contains(document.activeElement)) term.classList.remove('term-dismissed');
    placeTip(term);
  });

  touchTerms();

  focusableWideTables();

  if ('serviceWorker' in navigator && location.protocol !== 'file:' && !import.meta.env.DEV) {
    navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
      console.warn('Service worker registration failed; the site still works online.', error);
    });
  }
}
