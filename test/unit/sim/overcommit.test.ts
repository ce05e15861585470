import { describe, expect, it } from 'vitest';
import {
  demandAt,
  exampleScenario,
  init,
  overcommitRatios,
  simulate,
  step,
  withVm,
  type OvercommitParams,
  type OvercommitPolicy,
  type VmSpec,
} from '../../../src/sim/overcommit/index.ts';

const vm = (name: string, cpu: number, mem: number, extra: Partial<VmSpec> = {}): VmSpec => ({
  name,
  vcpus: 4,
  ramMiB: 8192,
  cpuDemand: { kind: 'constant', level: cpu },
  memoryDemand: { kind: 'constant', level: mem },
  ...extra,
});

describe('demand shapes', () => {
  it.each([
    [{ kind: 'constant', level: 0.4 } as const, 3, 0.4],
    [{ kind: 'constant', level: 1.7 } as const, 3, 1],
    [{ kind: 'diurnal', base: 0.5, amplitude: 0.3, periodTicks: 24 } as const, 6, 0.8],
    [{ kind: 'burst', base: 0.1, peak: 0.9, start: 5, duration: 2 } as const, 6, 0.9],
    [{ kind: 'burst', base: 0.1, peak: 0.9, start: 5, duration: 2 } as const, 7, 0.1],
  ])('%j at t=%i is %d', (shape, t, expected) => {
    expect(demandAt(shape, t, 0, 1).value).toBeCloseTo(expected, 10);
  });

  it('random walks are reproducible and bounded', () => {
    const params: OvercommitParams = {
      host: { cores: 8, ramMiB: 32768 },
      vms: [vm('a', 0, 0, { cpuDemand: { kind: 'random-walk', start: 0.5, volatility: 0.3 } })],
      seed: 3,
    };
    const a = simulate(params, 50).map((r) => r.vms[0]?.cpuDemand);
    expect(simulate(params, 50).map((r) => r.vms[0]?.cpuDemand)).toEqual(a);
    expect(simulate({ ...params, seed: 4 }, 50).map((r) => r.vms[0]?.cpuDemand)).not.toEqual(a);
    for (const d of a) expect(d).toBeGreaterThanOrEqual(0);
    for (const d of a) expect(d).toBeLessThanOrEqual(4);
  });
});

describe('overcommit ratios and CPU steal', () => {
  it('computes vCPU and RAM ratios', () => {
    const host = { cores: 8, ramMiB: 34816, reserveMiB: 2048 };
    expect(
      overcommitRatios(
        host,
        Array.from({ length: 6 }, () => ({ vcpus: 4, ramMiB: 8192 })),
      ),
    ).toEqual({
      vcpuPerCore: 3,
      configuredRam: 1.5,
    });
  });

  it('no steal while demand fits the cores', () => {
    const r = simulate({ host: { cores: 16, ramMiB: 65536 }, vms: [vm('a', 1, 0.2), vm('b', 1, 0.2)] }, 1)[0];
    expect(r?.cpu.stealPercent).toBe(0);
    expect(r?.vms.map((v) => v.progressPercent)).toEqual([100, 100]);
  });

  it('oversubscribed cores are shared proportionally; the rest is steal time', () => {
    // 3 VMs × 4 busy vCPUs = 12 wanted on 8 cores → each gets 2/3, steal 33.3 %.
    const r = simulate({ host: { cores: 8, ramMiB: 65536 }, vms: [vm('a', 1, 0.1), vm('b', 1, 0.1), vm('c', 1, 0.1)] }, 1)[0];
    expect(r?.cpu.grantedCores).toBeCloseTo(8);
    for (const v of r?.vms ?? []) expect(v.stealPercent).toBeCloseTo(100 / 3);
  });
});

describe('memory reclamation', () => {
  // Eight same-image VMs whose working sets shrink after a peak: touched memory stays resident.
  const peakThenIdle: VmSpec[] = Array.from({ length: 8 }, (_, i) =>
    vm(`vm${i}`, 0.2, 0, {
      image: 'same',
      memoryDemand: { kind: 'burst', base: 0.3, peak: 0.95, start: 0, duration: 3 },
    }),
  );
  const host = { cores: 32, ramMiB: 49152 };
  const maxSwap = (policy: Partial<OvercommitPolicy>) =>
    Math.max(
      ...simulate({ host, vms: peakThenIdle, policy }, 30)
        .slice(5)
        .map((r) => r.memory.swappedMiB),
    );

  it('without reclamation, memory touched at the peak keeps the host swapping', () => {
    expect(maxSwap({ ballooning: false, pageSharing: false })).toBeGreaterThan(10_000);
  });

  it('ballooning takes back idle guest memory and stops the swapping', () => {
    expect(maxSwap({ ballooning: true, pageSharing: false })).toBe(0);
  });

  it('page sharing alone recovers memory too', () => {
    const off = maxSwap({ ballooning: false, pageSharing: false });
    expect(maxSwap({ ballooning: false, pageSharing: true })).toBeLessThan(off);
    const r = simulate({ host, vms: peakThenIdle, policy: { ballooning: false } }, 30).at(-1);
    expect(r?.memory.sharedSavedMiB).toBeGreaterThan(0);
  });

  it('swapping hurts progress', () => {
    const r = simulate({ host, vms: peakThenIdle, policy: { ballooning: false, pageSharing: false } }, 2)[1];
    expect(r?.state).toBe('swapping');
    for (const v of r?.vms ?? []) expect(v.progressPercent).toBeLessThan(100);
  });

  it('step() is pure and advances time', () => {
    const s0 = init(exampleScenario());
    const { state: s1, report } = step(s0);
    expect(s0.t).toBe(0);
    expect(s1.t).toBe(1);
    expect(report.t).toBe(0);
    expect(s0.vms[0]?.touchedMiB).toBe(0);
  });

  it('the example scenario overcommits 3:1 vCPUs and about 1.5:1 RAM', () => {
    const [first] = simulate(exampleScenario(), 1);
    expect(first?.ratios.vcpuPerCore).toBe(3);
    expect(first?.ratios.configuredRam).toBeCloseTo(98304 / 63488);
  });
});

describe('per-VM changes', () => {
  const base: OvercommitParams = {
    host: { cores: 8, ramMiB: 34816 },
    vms: [vm('a', 0.5, 0.5), vm('b', 0.5, 0.5)],
  };
  const at = (params: OvercommitParams, name: string) => simulate(params, 3)[2]?.vms.find((v) => v.name === name);

  it('load scales one VM’s CPU and memory demand and leaves the others alone', () => {
    expect(at(withVm(base, 'a', { load: 1 }), 'a')).toEqual(at(base, 'a'));
    const busy = withVm(base, 'a', { load: 1.5 });
    expect(at(busy, 'a')?.cpuDemand).toBeCloseTo(4 * 0.75);
    expect(at(busy, 'a')?.workingSetMiB).toBeCloseTo(8192 * 0.75);
    expect(at(busy, 'b')).toEqual(at(base, 'b'));
    // Demand is capped at the whole VM.
    expect(at(withVm(base, 'a', { load: 5 }), 'a')?.cpuDemand).toBe(4);
    const idle = withVm(base, 'a', { load: 0 });
    expect(at(idle, 'a')?.cpuDemand).toBe(0);
    expect(at(idle, 'a')?.workingSetMiB).toBe(0);
  });

  it('a busier VM raises steal time on a full host', () => {
    const full: OvercommitParams = { host: { cores: 4, ramMiB: 34816 }, vms: [vm('a', 0.5, 0.3), vm('b', 0.5, 0.3)] };
    const steal = (p: OvercommitParams) => simulate(p, 2)[1]?.cpu.stealPercent ?? -1;
    expect(steal(full)).toBe(0);
    expect(steal(withVm(full, 'b', { load: 2 }))).toBeGreaterThan(0);
  });

  it('resizes one VM', () => {
    const p = withVm(base, 'b', { vcpus: 2, ramMiB: 4096 });
    expect(p.vms[1]).toMatchObject({ vcpus: 2, ramMiB: 4096 });
    expect(p.vms[0]).toBe(base.vms[0]);
    expect(overcommitRatios(p.host, p.vms).vcpuPerCore).toBeCloseTo(6 / 8);
  });

  it('rejects nonsense', () => {
    expect(() => withVm(base, 'a', { load: -1 })).toThrow(RangeError);
    expect(() => withVm(base, 'a', { vcpus: Number.NaN })).toThrow(RangeError);
    expect(withVm(base, 'nobody', { load: 2 })).toEqual(base);
  });
});
