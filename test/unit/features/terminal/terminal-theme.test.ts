import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANSI_COLOURS, TERMINAL_THEMES, contrastRatio } from '../../../../src/features/terminal/terminal-theme';

const css = readFileSync(new URL('../../../../src/site/global.css', import.meta.url), 'utf8');

/** The value of a custom property in the first CSS block whose selector matches. */
function cssVar(selector: RegExp, name: string): string | undefined {
  const block = new RegExp(`${selector.source}\\s*\\{([^}]*)\\}`).exec(css)?.[1] ?? '';
  return new RegExp(`${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(block)?.[1];
}

describe('terminal colours', () => {
  it('use the site’s code background and text colour in each theme', () => {
    expect(TERMINAL_THEMES.light.background).toBe(cssVar(/:root/, '--code-bg'));
    expect(TERMINAL_THEMES.light.foreground).toBe(cssVar(/:root/, '--fg'));
    expect(TERMINAL_THEMES.dark.background).toBe(cssVar(/:root\[data-theme='dark'\]/, '--code-bg'));
    expect(TERMINAL_THEMES.dark.foreground).toBe(cssVar(/:root\[data-theme='dark'\]/, '--fg'));
  });

  it.each(['light', 'dark'] as const)('keep AA contrast (4.5:1) for text and all 16 colours in the %s theme', (theme) => {
    const palette = TERMINAL_THEMES[theme];
    const low = [palette.foreground, ...ANSI_COLOURS.map((c) => palette[c])]
      .map((colour) => ({ colour, ratio: contrastRatio(colour, palette.background) }))
      .filter(({ ratio }) => ratio < 4.5);
    expect(low).toEqual([]);
  });

  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
