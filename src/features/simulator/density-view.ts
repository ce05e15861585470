import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import {
  compareDensity,
  DEFAULT_DENSITY,
  densityCurve,
  type DensityParams,
  type DensityResult,
} from '../../sim/density/index.ts';
import type { ChartGeometry } from './overcommit-view';
import type { SliderGroupSpec } from './sliders';
import type { SimKeyIn } from './strings';

/** The sliders and switch of the density view. */
export interface DensityControls {
  readonly hostCores: number;
  readonly hostRamGiB: number;
  /** Memory of the application in each instance. */
  readonly appRamMiB: number;
  /** CPU the application needs, in thousandths of a core. */
  readonly appMilliCores: number;
  /** Guest OS memory of one VM (kernel, init, daemons, page cache). */
  readonly guestOsMiB: number;
  readonly pageSharing: boolean;
}

/** Keys of {@link DensityControls} that a slider sets. */
export type DensitySliderKey = Exclude<keyof DensityControls, 'pageSharing'>;

/** The density lab's sliders: the host (with the KSM switch after them), then the application. */
export const DENSITY_SLIDERS = {
  host: {
    legend: 'den.host',
    sliders: [
      { key: 'hostCores', id: 'cores', label: 'den.hostCores', min: 4, max: 128, step: 4 },
      { key: 'hostRamGiB', id: 'ram', label: 'den.hostRam', min: 16, max: 512, step: 16, unit: 'GiB' },
      { key: 'guestOsMiB', id: 'os', label: 'den.guestOs', min: 60, max: 1000, step: 10, unit: 'MiB' },
    ],
  },
  app: {
    legend: 'den.app',
    sliders: [
      { key: 'appRamMiB', id: 'appram', label: 'den.appRam', min: 16, max: 2048, step: 16, unit: 'MiB' },
      { key: 'appMilliCores', id: 'appcpu', label: 'den.appCpu', min: 10, max: 1000, step: 10, unit: 'm' },
    ],
  },
} as const satisfies Record<string, SliderGroupSpec<DensitySliderKey, SimKeyIn<'den'>>>;

/** The model's defaults as slider values. */
export const DEFAULT_DENSITY_CONTROLS: DensityControls = {
  hostCores: DEFAULT_DENSITY.host.cores,
  hostRamGiB: DEFAULT_DENSITY.host.ramMiB / 1024,
  appRamMiB: DEFAULT_DENSITY.app.ramMiB,
  appMilliCores: Math.round(DEFAULT_DENSITY.app.cores * 1000),
  guestOsMiB: DEFAULT_DENSITY.vm.baseMiB,
  pageSharing: DEFAULT_DENSITY.pageSharing,
};

/** Model parameters for the controls; everything else keeps the model's documented defaults. */
export function densityParams(c: DensityControls): DensityParams {
  return {
    ...DEFAULT_DENSITY,
    host: { ...DEFAULT_DENSITY.host, cores: c.hostCores, ramMiB: c.hostRamGiB * 1024 },
    app: { ramMiB: c.appRamMiB, cores: c.appMilliCores / 1000 },
    vm: { ...DEFAULT_DENSITY.vm, baseMiB: c.guestOsMiB },
    pageSharing: c.pageSharing,
  };
}

export interface DensityChart extends ChartGeometry {
  readonly vmPath: string;
  readonly containerPath: string;
  /** Usable host RAM. */
  readonly usableY: number;
  /** Where each line crosses the memory limit (or the CPU limit caps it), for markers. */
  readonly vmMax: { readonly x: number; readonly y: number };
  readonly containerMax: { readonly x: number; readonly y: number };
}

export interface DensityView {
  readonly vm: DensityResult;
  readonly container: DensityResult;
  /** Containers ÷ VMs on the same host. */
  readonly ratio: number;
  readonly usableMiB: number;
  readonly chart: DensityChart;
}

const MARGIN = { top: 12, right: 16, bottom: 34, left: 64 };

/**
 * How many instances fit as VMs and as containers, with a chart of host memory
 * against the instance count.
 *
 * @example
 * densityView(DEFAULT_DENSITY_CONTROLS, 640).vm.maxInstances // 196
 */
export function densityView(c: DensityControls, width: number, height = 260): DensityView {
  const params = densityParams(c);
  const { vm, container, ratio } = compareDensity(params);
  const usable = Math.max(0, params.host.ramMiB - params.host.reserveMiB);
  const limit = (n: number): number => (Number.isFinite(n) ? n : 0);
  const maxN = Math.max(10, Math.ceil(Math.max(limit(vm.maxInstances), limit(container.maxInstances)) * 1.1));
  const curve = densityCurve(params, maxN);
  const w = Math.max(240, width);
  const x = scaleLinear()
    .domain([0, maxN])
    .range([MARGIN.left, w - MARGIN.right]);
  // The axis counts GiB so its ticks fall on round numbers; values stay in MiB.
  const yGiB = scaleLinear()
    .domain([0, (usable * 1.15) / 1024])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const y = (mib: number): number => yGiB(mib / 1024);
  const top = (yGiB.domain()[1] ?? usable / 1024) * 1024;
  const clip = (v: number): number => y(Math.min(v, top));
  // Memory grows linearly with the count: a couple of hundred points draw it exactly.
  const every = Math.max(1, Math.ceil(maxN / 200));
  const sampled = curve.filter((_, i) => i % every === 0 || i === curve.length - 1);
  // A line ends where it leaves the chart (beyond it the host is long out of memory).
  const vmLine = line<(typeof curve)[number]>()
    .defined((p) => p.vmMiB <= top)
    .x((p) => x(p.n))
    .y((p) => y(p.vmMiB));
  const ctLine = line<(typeof curve)[number]>()
    .defined((p) => p.containerMiB <= top)
    .x((p) => x(p.n))
    .y((p) => y(p.containerMiB));
  const at = (n: number, key: 'vmMiB' | 'containerMiB') => {
    const p = curve[Math.min(curve.length - 1, Math.max(0, n))];
    return { x: x(Math.max(0, n)), y: clip(p?.[key] ?? 0) };
  };
  return {
    vm,
    container,
    ratio,
    usableMiB: usable,
    chart: {
      width: w,
      height,
      margin: MARGIN,
      xTicks: x.ticks(6).map((value) => ({ x: x(value), value })),
      yTicks: yGiB.ticks(5).map((value) => ({ y: yGiB(value), value })),
      vmPath: vmLine(sampled) ?? '',
      containerPath: ctLine(sampled) ?? '',
      usableY: y(usable),
      vmMax: at(limit(vm.maxInstances), 'vmMiB'),
      containerMax: at(limit(container.maxInstances), 'containerMiB'),
    },
  };
}
