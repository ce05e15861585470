/**
 * The xterm.js terminal both consoles of the course use (the browser PC and the KVM lab):
 * screen-reader mode, the course's code font, a palette that follows the site theme, and rows
 * and columns kept matched to its box. xterm and its fit addon load only when a terminal opens,
 * each as a chunk of its own (the service worker's machine cache lists them by name).
 */
import type { Terminal } from '@xterm/xterm';
import { TERMINAL_THEMES, followPageTheme, pageTheme } from './terminal-theme';

export interface TerminalHandlers {
  /** What the learner types (and pastes). */
  onData: (data: string) => void;
  /** The terminal's new size in characters, also for the first fit. */
  onResize: (size: { cols: number; rows: number }) => void;
}

export interface OpenedTerminal {
  term: Terminal;
  /** Stops following theme and size, and disposes of the terminal. */
  dispose: () => void;
}

/** Opens a terminal in `screen` (which needs a definite height: the fit counts rows from it). */
export async function openTerminal(screen: HTMLElement, handlers: TerminalHandlers): Promise<OpenedTerminal> {
  const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
  const font = getComputedStyle(document.documentElement).getPropertyValue('--font-code').trim();
  const term = new Terminal({
    theme: TERMINAL_THEMES[pageTheme()],
    screenReaderMode: true,
    cursorBlink: true,
    fontFamily: font || 'monospace',
    fontSize: 15,
    scrollback: 5000,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(screen);
  // The theme toggle (or the system) can switch light/dark while a guest runs.
  const stopFollowingTheme = followPageTheme((theme) => (term.options.theme = TERMINAL_THEMES[theme]));
  term.onData(handlers.onData);
  term.onResize(handlers.onResize);
  const observer = new ResizeObserver(() => fit.fit());
  observer.observe(screen);
  fit.fit();
  return {
    term,
    dispose: () => {
      stopFollowingTheme();
      observer.disconnect();
      term.dispose();
    },
  };
}
