/**
 * Islands are server-rendered, so their buttons show before their code has loaded: `client:visible`
 * fetches it only once the island scrolls into view, and on a slow school network that takes a
 * while. A tap in between would do nothing at all. This keeps such a tap and replays it once the
 * island is live (Astro's `astro:hydrate`), marking the island busy meanwhile. Loaded once per page.
 */
const INSTALLED = 'labvirtEarlyClicks';

export function keepEarlyClicks(doc: Document): void {
  if (doc.documentElement.dataset[INSTALLED]) return;
  doc.documentElement.dataset[INSTALLED] = 'on';
  doc.addEventListener(
    'click',
    (event) => {
      const button = event.target instanceof Element ? event.target.closest('button') : null;
      const island = button?.closest('astro-island');
      // `ssr` stays on an island until its component has hydrated.
      if (!button || !island?.hasAttribute('ssr') || button.disabled) return;
      // Nothing else may act on it now: a submit button would reload the page with the form.
      event.preventDefault();
      event.stopPropagation();
      if (island.getAttribute('aria-busy') === 'true') return; // one tap per island is replayed
      island.setAttribute('aria-busy', 'true');
      const index = [...island.querySelectorAll('button')].indexOf(button);
      island.addEventListener(
        'astro:hydrate',
        () => {
          island.removeAttribute('aria-busy');
          // The same button, unless hydration had to render the island afresh.
          const live = button.isConnected ? button : island.querySelectorAll('button')[index];
          if (live && !live.disabled) live.click();
        },
        { once: true },
      );
    },
    true,
  );
}
