import { describe, expect, it } from 'vitest';
import { compareDensity, DEFAULT_DENSITY } from '../../../../src/sim/density/index.ts';
import { EXAMPLE_SIZE, exampleScenario, simulate, withVm } from '../../../../src/sim/overcommit/index.ts';
import {
  DEFAULT_OVERCOMMIT,
  ONE_VM_SLIDERS,
  OVERCOMMIT_SLIDERS,
  overcommitView,
  scenario,
  vmSettings,
} from '../../../../src/features/simulator/overcommit-view';
import { withUnit, type SliderGroupSpec } from '../../../../src/features/simulator/sliders';
import {
  DEFAULT_DENSITY_CONTROLS,
  DENSITY_SLIDERS,
  densityParams,
  densityView,
} from '../../../../src/features/simulator/density-view';
import { checkSource, lineCount } from '../../../../src/features/simulator/asm';
import { formatFactor, formatMiB } from '../../../../src/features/simulator/format';
import { fill } from '../../../../src/i18n/fill';
import { formatNumber } from '../../../../src/i18n/format';
import { placements, ringsLayout, whoRuns, worldsOf } from '../../../../src/features/simulator/rings';
import { comparisonChart } from '../../../../src/features/simulator/compare';
import { STRATEGIES } from '../../../../src/sim/strategies/index.ts';

describe('overcommit view', () => {
  it('per-VM settings reach the model through its own command; the others keep the shared sliders', () => {
    const busy = { ...DEFAULT_OVERCOMMIT, vmOverrides: { vm3: { loadPercent: 200 } } };
    expect(vmSettings(busy, 'vm3')).toEqual({ loadPercent: 200, vcpus: 4, ramGiB: 8 });
    expect(vmSettings(busy, 'vm4')).toEqual({ loadPercent: 100, vcpus: 4, ramGiB: 8 });
    expect(scenario(busy)).toEqual(withVm(scenario(DEFAULT_OVERCOMMIT), 'vm3', { load: 2, vcpus: 4, ramMiB: 8192 }));
    const base = overcommitView(DEFAULT_OVERCOMMIT, 600);
    const more = overcommitView(busy, 600);
    expect(more.vms[2]?.peakCpuDemand).toBeGreaterThan(base.vms[2]?.peakCpuDemand ?? Infinity);
    expect(more.summary.peakStealPercent).toBeGreaterThan(base.summary.peakStealPercent);
    expect(more.vms[3]?.peakCpuDemand).toBe(base.vms[3]?.peakCpuDemand);
    const resized = overcommitView({ ...DEFAULT_OVERCOMMIT, vmOverrides: { vm1: { vcpus: 16 } } }, 600);
    expect(resized.summary.vcpuPerCore).toBeCloseTo((11 * 4 + 16) / 16);
    // Settings of VMs beyond the count do nothing.
    expect(overcommitView({ ...DEFAULT_OVERCOMMIT, vmCount: 2, vmOverrides: { vm9: { loadPercent: 0 } } }, 600).vms).toHaveLength(
      2,
    );
  });

  it('the default controls are the model’s example scenario', () => {
    expect(simulate(scenario(DEFAULT_OVERCOMMIT), 48)).toEqual(simulate(exampleScenario(), 48));
  });

  it('other slider values draw the same scenario, resized by the model', () => {
    const c = { ...DEFAULT_OVERCOMMIT, hostCores: 8, vmCount: 20, ramPerVmGiB: 4, ballooning: false };
    expect(scenario(c)).toEqual(
      exampleScenario({ ballooning: false, pageSharing: true }, { ...EXAMPLE_SIZE, cores: 8, vmCount: 20, ramPerVmMiB: 4096 }),
    );
  });

  it('more VMs raise the ratios and the pressure; ballooning and KSM lower swapping', () => {
    const base = overcommitView(DEFAULT_OVERCOMMIT, 600);
    const more = overcommitView({ ...DEFAULT_OVERCOMMIT, vmCount: 20 }, 600);
    expect(more.summary.vcpuPerCore).toBeCloseTo((20 * 4) / 16);
    expect(more.summary.peakNeededMiB).toBeGreaterThan(base.summary.peakNeededMiB);
    expect(more.summary.peakStealPercent).toBeGreaterThan(base.summary.peakStealPercent);
    const bare = overcommitView({ ...DEFAULT_OVERCOMMIT, vmCount: 20, ballooning: false, pageSharing: false }, 600);
    expect(bare.summary.peakSwappedMiB).toBeGreaterThan(more.summary.peakSwappedMiB);
    expect(bare.summary.peakSharedMiB).toBe(0);
    expect(bare.summary.peakBalloonMiB).toBe(0);
  });

  it('lays out paths inside the chart', () => {
    const v = overcommitView(DEFAULT_OVERCOMMIT, 500);
    expect(v.memory.neededPath).toMatch(/^M[\d.]+,[\d.]+L/);
    expect(v.steal.stealPath).toMatch(/^M/);
    expect(v.memory.usableY).toBeGreaterThan(v.memory.margin.top);
    expect(v.memory.usableY).toBeLessThan(v.memory.height - v.memory.margin.bottom);
    expect(v.reports).toHaveLength(48);
  });
});

describe('sliders as data', () => {
  /** Each slider with the value it starts at. */
  const starts = (groups: readonly SliderGroupSpec<string, string>[], values: Record<string, unknown>) =>
    groups.flatMap((g) => g.sliders.map((s) => [s, values[s.key]] as const));
  const all = [
    ...starts(Object.values(DENSITY_SLIDERS), { ...DEFAULT_DENSITY_CONTROLS }),
    ...starts(Object.values(OVERCOMMIT_SLIDERS), { ...DEFAULT_OVERCOMMIT }),
    ...starts([ONE_VM_SLIDERS], vmSettings(DEFAULT_OVERCOMMIT, 'vm1')),
  ];

  it.each(all.map(([s, v]) => [s.id, s, v] as const))('%s starts inside its range', (_, s, v) => {
    expect(typeof v).toBe('number');
    expect(v).toBeGreaterThanOrEqual(s.min);
    expect(v).toBeLessThanOrEqual(s.max);
  });

  it('ids are unique within a lab', () => {
    for (const groups of [Object.values(DENSITY_SLIDERS), [...Object.values(OVERCOMMIT_SLIDERS), ONE_VM_SLIDERS]]) {
      const ids = groups.flatMap((g) => g.sliders.map((s) => s.id));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('reads a value with its unit', () => {
    expect([withUnit('64', 'GiB'), withUnit('150', '%'), withUnit('100', 'm'), withUnit('4')]).toEqual([
      '64 GiB',
      '150%',
      '100 m',
      '4',
    ]);
  });
});

describe('density view', () => {
  it('the default controls are the model’s defaults', () => {
    expect(densityParams(DEFAULT_DENSITY_CONTROLS)).toEqual(DEFAULT_DENSITY);
    const v = densityView(DEFAULT_DENSITY_CONTROLS, 600);
    const model = compareDensity(DEFAULT_DENSITY);
    expect(v.vm.maxInstances).toBe(model.vm.maxInstances);
    expect(v.container.maxInstances).toBe(model.container.maxInstances);
  });

  it('more host RAM fits more VMs; page sharing fits more still; a heavier app fits fewer containers', () => {
    const base = densityView(DEFAULT_DENSITY_CONTROLS, 600);
    expect(densityView({ ...DEFAULT_DENSITY_CONTROLS, hostRamGiB: 256 }, 600).vm.maxInstances).toBeGreaterThan(
      base.vm.maxInstances,
    );
    expect(densityView({ ...DEFAULT_DENSITY_CONTROLS, pageSharing: true }, 600).vm.maxInstances).toBeGreaterThan(
      base.vm.maxInstances,
    );
    expect(densityView({ ...DEFAULT_DENSITY_CONTROLS, appMilliCores: 500 }, 600).container.maxInstances).toBeLessThan(
      base.container.maxInstances,
    );
  });

  it('marks each maximum on its line', () => {
    const v = densityView(DEFAULT_DENSITY_CONTROLS, 600);
    expect(v.chart.vmMax.x).toBeLessThan(v.chart.containerMax.x);
    expect(v.chart.vmMax.y).toBeGreaterThanOrEqual(v.chart.usableY - 1);
  });
});

describe('small helpers', () => {
  it('checkSource returns a program or sentences in the page language', () => {
    expect(checkSource('LI r1, 5\nHLT', 'en').ok).toBe(true);
    const bad = checkSource('LI r1, 5\nMOV r1\n', 'id');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]?.message).toMatch(/^Baris 2, kolom \d+: diharapkan koma/);
  });

  it.each([
    ['', 1],
    ['a', 1],
    ['a\nb\n', 3],
  ])('lineCount(%j) = %i', (src, n) => {
    expect(lineCount(src)).toBe(n);
  });

  it('formats numbers per language', () => {
    expect(formatNumber(1234567.5, 'id', 1)).toBe('1.234.567,5');
    expect(formatNumber(1234567.5, 'en', 1)).toBe('1,234,567.5');
    expect(formatNumber(Number.POSITIVE_INFINITY, 'en')).toBe('∞');
    expect(formatMiB(1536, 'en')).toBe('1.5 GiB');
    expect(formatMiB(300, 'id')).toBe('300 MiB');
    expect(formatFactor(12.345, 'id')).toBe('12,3×');
    expect(formatFactor(1.5, 'en')).toBe('1.5×');
    expect(fill('{a} of {b}', { a: 1 })).toBe('1 of {b}');
  });

  it('places the guest kernel where each strategy runs it', () => {
    const kernel = (s: (typeof STRATEGIES)[number]) => placements(s).find((p) => p.actor === 'guest-kernel');
    expect(kernel('native')).toMatchObject({ world: 'root', ring: 0, deprivileged: false });
    expect(kernel('trap-and-emulate')).toMatchObject({ world: 'root', ring: 3, deprivileged: true });
    expect(kernel('paravirtualization')).toMatchObject({ ring: 1, deprivileged: true });
    expect(kernel('hardware-assisted')).toMatchObject({ world: 'non-root', ring: 0, deprivileged: false });
    expect(worldsOf('hardware-assisted')).toEqual(['root', 'non-root']);
    expect(worldsOf('emulation')).toEqual(['root', 'software']);
    expect(placements('native').some((p) => p.actor === 'monitor')).toBe(false);
    expect(whoRuns('guest-user', undefined)).toBe('guest-user');
    expect(whoRuns('guest-user', 'monitor')).toBe('monitor');
  });
});

describe('diagram and chart layouts', () => {
  it('rings: one column per world, the running party marked, boxes inside the diagram', () => {
    const l = ringsLayout('hardware-assisted', 'guest-kernel', 480);
    expect(l.columns.map((c) => c.world)).toEqual(['root', 'non-root']);
    const active = l.actors.filter((a) => a.active);
    expect(active.map((a) => [a.actor, a.world, a.ring])).toEqual([['guest-kernel', 'non-root', 0]]);
    for (const a of l.actors) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(l.width);
      expect(a.y + a.height).toBeLessThanOrEqual(l.hardware.y);
    }
    // Trap-and-emulate: the deprivileged kernel shares ring 3 with the applications, side by side.
    const tae = ringsLayout('trap-and-emulate', 'hardware', 480);
    const [k, u] = ['guest-kernel', 'guest-user'].map((id) => tae.actors.find((a) => a.actor === id));
    expect(k?.y).toBe(u?.y);
    expect((k?.x ?? 0) + (k?.width ?? 0)).toBeLessThanOrEqual(u?.x ?? 0);
    expect(tae.hardware.active).toBe(true);
  });

  it('comparison chart: log-scale bars ordered by slowdown width, native at 1×', () => {
    const rows = (['native', 'emulation', 'trap-and-emulate'] as const).map((strategy, i) => ({
      key: strategy,
      strategy,
      hw: null,
      cycles: [1000, 40_000, 500_000][i] ?? 0,
      instructions: 100,
      slowdown: [1, 40, 500][i] ?? 0,
      finished: true,
      matchesNative: true,
      traps: 0,
      exits: 0,
    }));
    const c = comparisonChart(rows, 600);
    const [n, e, t] = c.bars;
    expect((n?.width ?? 0) < (e?.width ?? 0) && (e?.width ?? 0) < (t?.width ?? 0)).toBe(true);
    // Equal ratios are equal distances on a log scale.
    const one = c.ticks.find((x) => x.value === 1)?.x ?? 0;
    const ten = c.ticks.find((x) => x.value === 10)?.x ?? 0;
    const hundred = c.ticks.find((x) => x.value === 100)?.x ?? 0;
    expect(hundred - ten).toBeCloseTo(ten - one, 6);
    expect(c.left + (t?.width ?? 0)).toBeLessThanOrEqual(c.width);
    expect(c.labelsAbove).toBe(false);
    // On a phone the chart keeps the real width (its text is not scaled down): labels go above the bars.
    const narrow = comparisonChart(rows, 290);
    expect(narrow.width).toBe(290);
    expect(narrow.labelsAbove).toBe(true);
    for (const b of narrow.bars) expect(b.labelY).toBeLessThan(b.y);
    expect(narrow.left + (narrow.bars[2]?.width ?? 0)).toBeLessThanOrEqual(narrow.width);
  });
});
