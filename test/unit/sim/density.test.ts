import { describe, expect, it } from 'vitest';
import { compareDensity, DEFAULT_DENSITY, densityCurve, type DensityParams } from '../../../src/sim/density/index.ts';

describe('density: VMs versus containers', () => {
  it('fits more containers than VMs on the default host', () => {
    const r = compareDensity();
    expect(r.container.maxInstances).toBeGreaterThan(r.vm.maxInstances);
    expect(r.vm.limitedBy).toBe('memory');
    expect(r.vm.overheadMiB).toBe(390);
    expect(r.container.overheadMiB).toBe(8);
  });

  it.each<[string, Partial<DensityParams>, number, number]>([
    // usable = 131072 − 4096 = 126976 MiB
    ['defaults', {}, Math.floor(126976 / 646), Math.min(Math.floor(126976 / 264), Math.floor(32 / 0.101))],
    ['a tiny host', { host: { cores: 2, ramMiB: 4096, reserveMiB: 1024 } }, 4, Math.floor(3072 / 264)],
    ['RAM-hungry app', { app: { ramMiB: 4096, cores: 0.05 } }, Math.floor(126976 / 4486), Math.floor(126976 / 4104)],
  ])('%s', (_name, override, vms, containers) => {
    const r = compareDensity({ ...DEFAULT_DENSITY, ...override });
    expect(r.vm.maxInstances).toBe(vms);
    expect(r.container.maxInstances).toBe(containers);
  });

  it('page sharing raises VM density', () => {
    const without = compareDensity(DEFAULT_DENSITY).vm.maxInstances;
    const withKsm = compareDensity({ ...DEFAULT_DENSITY, pageSharing: true }).vm.maxInstances;
    expect(withKsm).toBeGreaterThan(without);
  });

  it('the curve grows by the per-instance cost', () => {
    const curve = densityCurve(DEFAULT_DENSITY, 3);
    expect(curve.map((p) => p.vmMiB)).toEqual([0, 646, 1292, 1938]);
    expect(curve.map((p) => p.containerMiB)).toEqual([0, 264, 528, 792]);
  });

  it('nothing fits when the host is smaller than one instance', () => {
    const r = compareDensity({ ...DEFAULT_DENSITY, host: { cores: 1, ramMiB: 600, reserveMiB: 300 } });
    expect(r.vm.maxInstances).toBe(0);
    expect(r.container.maxInstances).toBe(1);
  });
});
