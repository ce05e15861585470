/**
 * Small page-wide behaviours that need a few lines of script: the theme toggle,
 * Escape to dismiss glossary tooltips (WCAG 1.4.13), and the service worker.
 */
const THEME_KEY = 'labvirt.theme';

function currentTheme(): 'light' | 'dark' {
  const set = document.documentElement.dataset['theme'];
  if (set === 'light' || set === 'dark') return set;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
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

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const tip of document.querySelectorAll('.term')) tip.classList.add('term-dismissed');
  });
  document.addEventListener('focusin', (event) => {
    const term = (event.target as Element | null)?.closest('.term');
    document.querySelectorAll('.term-dismissed').forEach((el) => {
      if (el !== term) el.classList.remove('term-dismissed');
    });
  });
  document.addEventListener('mouseover', (event) => {
    const term = (event.target as Element | null)?.closest('.term');
    if (term && !term.contains(document.activeElement)) term.classList.remove('term-dismissed');
  });

  if ('serviceWorker' in navigator && location.protocol !== 'file:' && !import.meta.env.DEV) {
    navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
      console.warn('Service worker registration failed; the site still works online.', error);
    });
  }
}
