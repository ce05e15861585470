import { describe, expect, it } from 'vitest';
import { ringsLayout, wrapLabel, RINGS_FONT_PX, type Actor, type World } from '../../../../src/features/simulator/rings';
import { STRATEGIES } from '../../../../src/sim/strategies/index.ts';
import { simText } from '../../../../src/features/simulator/strings';

describe('wrapLabel', () => {
  it.each([
    ['Mode non-root (guest)', 110, ['Mode non-root', '(guest)']],
    ['Monitor/hypervisor', 100, ['Monitor/', 'hypervisor']],
    ['Kernel guest', 200, ['Kernel guest']],
    ['Di dalam emulator (CPU tiruan)', 110, ['Di dalam', 'emulator (CPU', 'tiruan)']],
    // A word longer than the box is shortened, never left to overflow.
    ['Supercalifragilistic', 60, ['Superca…']],
    ['', 100, []],
  ])('%s in %i px → %j', (text, width, lines) => {
    expect(wrapLabel(text, width)).toEqual(lines);
  });
});

describe('ringsLayout with labels at phone widths', () => {
  // Width of the diagram at a 360 px phone (the page's padding taken off) and on a desktop.
  it.each([
    ['id', 300],
    ['en', 300],
    ['id', 640],
  ] as const)('%s at %i px: every label line fits its box (estimated), boxes stay in the diagram', (locale, width) => {
    const t = simText(locale, ['rings']);
    const world = (w: World) => (w === 'root' ? t['rings.root'] : w === 'non-root' ? t['rings.nonRoot'] : t['rings.software']);
    const actor = (a: Actor) => t[`rings.actor.${a}`];
    const estimate = (line: string) => line.length * RINGS_FONT_PX * 0.62;
    for (const strategy of STRATEGIES) {
      for (const holder of ['guest-kernel', 'monitor', 'hardware'] as const) {
        const l = ringsLayout(strategy, holder, width, { world, actor, deprivileged: t['rings.deprivileged'] });
        for (const c of l.columns) {
          expect(c.lines.length).toBeGreaterThan(0);
          for (const line of c.lines) expect(estimate(line), `${strategy} column "${line}"`).toBeLessThanOrEqual(c.width - 4);
          // The wrapped label sits in the header, above the first ring.
          expect(18 + (c.lines.length - 1) * l.lineHeight).toBeLessThan(l.rows[0]?.y ?? 0);
        }
        for (const a of l.actors) {
          for (const line of a.lines) expect(estimate(line), `${strategy} ${a.actor} "${line}"`).toBeLessThanOrEqual(a.width);
          expect(a.lines.length * l.lineHeight, `${strategy} ${a.actor} lines fit the box`).toBeLessThanOrEqual(a.height);
          expect(a.y + a.height).toBeLessThanOrEqual(l.hardware.y);
          expect(a.x + a.width).toBeLessThanOrEqual(l.width);
        }
        expect(l.hardware.lines.length * l.lineHeight).toBeLessThanOrEqual(l.hardware.height);
        expect(l.hardware.y + l.hardware.height).toBeLessThanOrEqual(l.height);
        // The running party is marked in its own label.
        const marked = [...l.actors.map((a) => a.lines.join(' ')), l.hardware.lines.join(' ')].filter((s) => s.startsWith('◆'));
        expect(marked).toHaveLength(holder === 'monitor' && strategy === 'native' ? 0 : 1);
      }
    }
  });
});
