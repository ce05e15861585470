/**
 * The xterm.js terminal both consoles of the course use (the browser PC and the KVM lab):
 * screen-reader mode, the course's code font, a palette that follows the site theme, rows and
 * columns kept matched to its box, and a keyboard way out (Esc, then Tab or Shift+Tab). xterm and its fit addon load only when a terminal opens,
 * each as a chunk of its own (the service worker's machine cache lists them by name).
 */
import type { Terminal } from '@xterm/xterm';
import { TabEscape } from './tab-escape';
import { TERMINAL_THEMES, followPageTheme, pageTheme } from './terminal-theme';

export interface TerminalHandlers {
  /** What the learner types (and pastes). */
  onData: (data: string) => void;
  /** The terminal's new size in characters, also for the first fit. */
  onResize: (size: { cols: number; rows: number }) => void;
  /** Keys the island handles itself (return false to keep one from the terminal), after the way out. */
  onKey?: (event: KeyboardEvent) => boolean;
  /** Id of the text next to the terminal that says how to leave it, read out when it gets focus. */
  describedBy?: string;
}

export interface OpenedTerminal {
  term: Terminal;
  /** Stops following theme and size, and disposes of the terminal. */
  dispose: () => void;
}

/** Font size in CSS px; on a phone held upright a smaller one gives ~40 columns instead of ~33. */
const FONT_SIZE = 15;
const NARROW_FONT_SIZE = 13;
const NARROW_SCREEN = '(max-width: 30rem)';

/** Opens a terminal in `screen` (which needs a definite height: the fit counts rows from it). */
export async function openTerminal(screen: HTMLElement, handlers: TerminalHandlers): Promise<OpenedTerminal> {
  const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
  const font = getComputedStyle(document.documentElement).getPropertyValue('--font-code').trim();
  const narrow = matchMedia(NARROW_SCREEN);
  const term = new Terminal({
    theme: TERMINAL_THEMES[pageTheme()],
    screenReaderMode: true,
    cursorBlink: true,
    fontFamily: font || 'monospace',
    fontSize: narrow.matches ? NARROW_FONT_SIZE : FONT_SIZE,
    scrollback: 5000,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(screen);
  // The theme toggle (or the system) can switch light/dark while a guest runs.
  const stopFollowingTheme = followPageTheme((theme) => (term.options.theme = TERMINAL_THEMES[theme]));
  // No keyboard trap: Esc, then Tab or Shift+Tab leaves the terminal (see tab-escape.ts).
  const escape = new TabEscape();
  term.attachCustomKeyEventHandler((event) => {
    // false: xterm neither sends the Tab nor cancels it, so the browser moves the focus.
    if (escape.route(event) === 'leave') return false;
    return handlers.onKey?.(event) ?? true;
  });
  const textarea = term.textarea;
  textarea?.addEventListener('focus', () => escape.reset());
  if (textarea && handlers.describedBy) textarea.setAttribute('aria-describedby', handlers.describedBy);
  term.onData(handlers.onData);
  term.onResize(handlers.onResize);
  // Rows and columns follow the box: a window resize, a phone turned on its side, the font below.
  const observer = new ResizeObserver(() => fit.fit());
  observer.observe(screen);
  const onNarrow = () => {
    term.options.fontSize = narrow.matches ? NARROW_FONT_SIZE : FONT_SIZE;
    fit.fit();
  };
  narrow.addEventListener('change', onNarrow);
  fit.fit();
  return {
    term,
    dispose: () => {
      stopFollowingTheme();
      narrow.removeEventListener('change', onNarrow);
      observer.disconnect();
      term.dispose();
    },
  };
}
