/**
 * Terminal colours that follow the site's light/dark theme. xterm.js draws on a canvas-like
 * surface that CSS cannot reach, so the palette is data here; every colour is chosen to keep
 * WCAG AA contrast (4.5:1) on its background, which a unit test checks. The background is the
 * site's `--code-bg`, so the terminal looks like the code blocks around it.
 */
import type { ITheme } from '@xterm/xterm';

export type SiteTheme = 'light' | 'dark';

const ANSI = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'brightBlack',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite',
] as const;

export type AnsiColour = (typeof ANSI)[number];
export const ANSI_COLOURS: readonly AnsiColour[] = ANSI;

type Palette = Required<Pick<ITheme, 'background' | 'foreground' | 'cursor' | 'cursorAccent' | 'selectionBackground' | AnsiColour>>;

/**
 * On a light background "black" and "white" swap roles (white text would vanish), as in the
 * light themes of common terminals.
 */
export const TERMINAL_THEMES: Record<SiteTheme, Palette> = {
  light: {
    background: '#fdfcfa',
    foreground: '#1d1f24',
    cursor: '#1d1f24',
    cursorAccent: '#fdfcfa',
    selectionBackground: '#b9d3f0',
    black: '#1d1f24',
    red: '#b42318',
    green: '#1e7a46',
    yellow: '#7a5200',
    blue: '#0b5cad',
    magenta: '#6d3fc4',
    cyan: '#0e6873',
    white: '#4f5560',
    brightBlack: '#555b66',
    brightRed: '#a3300b',
    brightGreen: '#256b3f',
    brightYellow: '#6b4a00',
    brightBlue: '#1f4f8f',
    brightMagenta: '#7a2f9e',
    brightCyan: '#0b5c66',
    brightWhite: '#1d1f24',
  },
  dark: {
    background: '#1d2026',
    foreground: '#e9e7e1',
    cursor: '#e9e7e1',
    cursorAccent: '#1d2026',
    selectionBackground: '#3b4f6b',
    black: '#9aa0aa',
    red: '#ff8f85',
    green: '#6fd39a',
    yellow: '#f2c46d',
    blue: '#8ec5ff',
    magenta: '#c3a6ff',
    cyan: '#7fd6dc',
    white: '#e9e7e1',
    brightBlack: '#b3b0a8',
    brightRed: '#ffb0a8',
    brightGreen: '#98e6b8',
    brightYellow: '#ffd98f',
    brightBlue: '#b5d9ff',
    brightMagenta: '#dac8ff',
    brightCyan: '#a6e8ec',
    brightWhite: '#ffffff',
  },
};

/** The theme the page shows: the learner's choice (`data-theme`), else the system's. */
export function pageTheme(): SiteTheme {
  const set = document.documentElement.dataset['theme'];
  if (set === 'light' || set === 'dark') return set;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * Calls `apply` with the page's theme now and whenever it changes (the toggle sets
 * `data-theme`; the system setting can change while the page is open). Returns the unsubscribe.
 */
export function followPageTheme(apply: (theme: SiteTheme) => void): () => void {
  const update = () => apply(pageTheme());
  const observer = new MutationObserver(update);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', update);
  update();
  return () => {
    observer.disconnect();
    media.removeEventListener('change', update);
  };
}

/**
 * WCAG 2 contrast ratio of two `#rrggbb` colours.
 * @example contrastRatio('#000000', '#ffffff') // → 21
 */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
