import { max } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import {
  DEFAULT_POLICY,
  EXAMPLE_SIZE,
  exampleScenario,
  exampleVmName,
  simulate,
  usableRam,
  withVm,
  type OvercommitParams,
  type TickReport,
} from '../../sim/overcommit/index.ts';
import type { SliderGroupSpec } from './sliders';
import type { SimKeyIn } from './strings';

/** One VM set apart from the others by the learner; absent fields follow the shared sliders. */
export interface VmOverride {
  /** Load in percent of the scenario's demand (100 = as scheduled). */
  readonly loadPercent?: number;
  readonly vcpus?: number;
  readonly ramGiB?: number;
}

/** The sliders and switches of the overcommit view. */
export interface OvercommitControls {
  readonly hostCores: number;
  readonly hostRamGiB: number;
  readonly vmCount: number;
  readonly vcpusPerVm: number;
  readonly ramPerVmGiB: number;
  readonly ballooning: boolean;
  readonly pageSharing: boolean;
  /** Per-VM settings by VM name (`vm1`…); VMs beyond `vmCount` are ignored. */
  readonly vmOverrides: Readonly<Record<string, VmOverride>>;
}

/** Keys of {@link OvercommitControls} that a slider sets. */
export type OvercommitSliderKey = Exclude<keyof OvercommitControls, 'ballooning' | 'pageSharing' | 'vmOverrides'>;

const VCPUS = { min: 1, max: 16, step: 1 } as const;
const VM_RAM = { min: 1, max: 32, step: 1, unit: 'GiB' } as const;

/** The overcommit lab's sliders: the host, all VMs (with the switches after them), one VM. */
export const OVERCOMMIT_SLIDERS = {
  host: {
    legend: 'oc.host',
    sliders: [
      { key: 'hostCores', id: 'cores', label: 'oc.hostCores', min: 2, max: 64, step: 2 },
      { key: 'hostRamGiB', id: 'ram', label: 'oc.hostRam', min: 8, max: 256, step: 8, unit: 'GiB' },
    ],
  },
  vms: {
    legend: 'oc.vms',
    sliders: [
      { key: 'vmCount', id: 'count', label: 'oc.vmCount', min: 1, max: 40, step: 1 },
      { key: 'vcpusPerVm', id: 'vcpus', label: 'oc.vcpus', ...VCPUS },
      { key: 'ramPerVmGiB', id: 'vmram', label: 'oc.ram', ...VM_RAM },
    ],
  },
} as const satisfies Record<string, SliderGroupSpec<OvercommitSliderKey, SimKeyIn<'oc'>>>;

/** The sliders of the VM the learner picked: they set its {@link VmOverride}. */
export const ONE_VM_SLIDERS = {
  legend: 'oc.oneVm',
  sliders: [
    { key: 'loadPercent', name: 'vmLoad', id: 'vm-load', label: 'oc.vmLoad', min: 0, max: 200, step: 10, unit: '%' },
    { key: 'vcpus', name: 'vmVcpus', id: 'vm-vcpus', label: 'oc.vmVcpus', ...VCPUS },
    { key: 'ramGiB', name: 'vmRam', id: 'vm-ram', label: 'oc.vmRam', ...VM_RAM },
  ],
} as const satisfies SliderGroupSpec<keyof VmOverride, SimKeyIn<'oc'>>;

/** The model's ready-made scenario and default policy as slider values. */
export const DEFAULT_OVERCOMMIT: OvercommitControls = {
  hostCores: EXAMPLE_SIZE.cores,
  hostRamGiB: EXAMPLE_SIZE.ramMiB / 1024,
  vmCount: EXAMPLE_SIZE.vmCount,
  vcpusPerVm: EXAMPLE_SIZE.vcpusPerVm,
  ramPerVmGiB: EXAMPLE_SIZE.ramPerVmMiB / 1024,
  ballooning: DEFAULT_POLICY.ballooning,
  pageSharing: DEFAULT_POLICY.pageSharing,
  vmOverrides: {},
};

/** The name of the VM at `index` (0-based), as the scenario names it. */
export const vmName = exampleVmName;

/**
 * What one VM runs with: its own settings where the learner set them, else the shared sliders'.
 *
 * @example
 * vmSettings({ ...DEFAULT_OVERCOMMIT, vmOverrides: { vm2: { loadPercent: 150 } } }, 'vm2') // { loadPercent: 150, vcpus: 4, ramGiB: 8 }
 */
export function vmSettings(c: OvercommitControls, name: string): Required<VmOverride> {
  const o = c.vmOverrides[name] ?? {};
  return { loadPercent: o.loadPercent ?? 100, vcpus: o.vcpus ?? c.vcpusPerVm, ramGiB: o.ramGiB ?? c.ramPerVmGiB };
}

/** Simulated hours (one tick = one hour): two days. */
export const OVERCOMMIT_TICKS = 48;

/**
 * Model parameters for the controls: the model's ready-made scenario, resized, with the
 * learner's per-VM settings applied by the model's own command.
 *
 * @example
 * scenario(DEFAULT_OVERCOMMIT).vms.length // 12
 */
export function scenario(c: OvercommitControls): OvercommitParams {
  let params = exampleScenario(
    { ballooning: c.ballooning, pageSharing: c.pageSharing },
    {
      cores: c.hostCores,
      ramMiB: c.hostRamGiB * 1024,
      vmCount: c.vmCount,
      vcpusPerVm: c.vcpusPerVm,
      ramPerVmMiB: c.ramPerVmGiB * 1024,
    },
  );
  for (const name of Object.keys(c.vmOverrides)) {
    const v = vmSettings(c, name);
    params = withVm(params, name, { load: v.loadPercent / 100, vcpus: v.vcpus, ramMiB: v.ramGiB * 1024 });
  }
  return params;
}

export interface OvercommitSummary {
  readonly vcpuPerCore: number;
  readonly configuredRam: number;
  readonly usableMiB: number;
  readonly peakNeededMiB: number;
  readonly peakStealPercent: number;
  readonly peakSwappedMiB: number;
  readonly peakBalloonMiB: number;
  readonly peakSharedMiB: number;
  /** Hours with host swapping / with ballooning under pressure. */
  readonly hoursSwapping: number;
  readonly hoursReclaiming: number;
  /** Mean progress of all VMs over all hours (100 = as if alone on an idle host). */
  readonly meanProgressPercent: number;
}

export interface ChartGeometry {
  readonly width: number;
  readonly height: number;
  readonly margin: { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number };
  readonly xTicks: readonly { readonly x: number; readonly value: number }[];
  /** Memory charts: values in GiB; the steal chart: percent. */
  readonly yTicks: readonly { readonly y: number; readonly value: number }[];
}

export interface OvercommitChart extends ChartGeometry {
  /** Host memory needed after page sharing (touched + overhead − shared). */
  readonly neededPath: string;
  /** Usable host RAM (a flat line). */
  readonly usableY: number;
  /** Swapped memory, as an area above the usable line. */
  readonly swappedPath: string;
  /** Memory held by balloons, as an area from the bottom. */
  readonly balloonPath: string;
}

export interface StealChart extends ChartGeometry {
  /** CPU steal time of the host, 0–100 %. */
  readonly stealPath: string;
}

/** One VM over the two days. */
export interface VmSummary {
  readonly name: string;
  readonly peakCpuDemand: number;
  readonly peakStealPercent: number;
  readonly peakWorkingSetMiB: number;
  readonly meanProgressPercent: number;
}

export interface OvercommitView {
  readonly reports: readonly TickReport[];
  readonly summary: OvercommitSummary;
  /** Per VM, in scenario order. */
  readonly vms: readonly VmSummary[];
  readonly memory: OvercommitChart;
  readonly steal: StealChart;
}

const MARGIN = { top: 12, right: 16, bottom: 30, left: 64 };
const STEAL_HEIGHT = 130;

/**
 * Runs the overcommit model for two simulated days and lays out the chart.
 *
 * @example
 * overcommitView({ ...DEFAULT_OVERCOMMIT, ballooning: false }, 640).summary.peakSwappedMiB // > 0
 */
export function overcommitView(c: OvercommitControls, width: number, height = 260): OvercommitView {
  const params = scenario(c);
  const reports = simulate(params, OVERCOMMIT_TICKS);
  const usable = usableRam(params.host);
  const peak = (f: (r: TickReport) => number): number => max(reports, f) ?? 0;
  const summary: OvercommitSummary = {
    vcpuPerCore: reports[0]?.ratios.vcpuPerCore ?? 0,
    configuredRam: reports[0]?.ratios.configuredRam ?? 0,
    usableMiB: usable,
    peakNeededMiB: peak((r) => r.memory.neededMiB),
    peakStealPercent: peak((r) => r.cpu.stealPercent),
    peakSwappedMiB: peak((r) => r.memory.swappedMiB),
    peakBalloonMiB: peak((r) => r.memory.balloonMiB),
    peakSharedMiB: peak((r) => r.memory.sharedSavedMiB),
    hoursSwapping: reports.filter((r) => r.state === 'swapping').length,
    hoursReclaiming: reports.filter((r) => r.state === 'reclaiming').length,
    meanProgressPercent:
      reports.length === 0
        ? 100
        : reports.reduce((a, r) => a + r.vms.reduce((b, v) => b + v.progressPercent, 0) / Math.max(1, r.vms.length), 0) /
          reports.length,
  };

  const w = Math.max(240, width);
  const x = scaleLinear()
    .domain([0, OVERCOMMIT_TICKS - 1])
    .range([MARGIN.left, w - MARGIN.right]);
  // The axis counts GiB so its ticks fall on round numbers; values stay in MiB.
  const yMaxGiB = (Math.max(usable, summary.peakNeededMiB, 1) * 1.08) / 1024;
  const yGiB = scaleLinear()
    .domain([0, yMaxGiB])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const y = (mib: number): number => yGiB(mib / 1024);
  const steal = scaleLinear()
    .domain([0, 100])
    .range([STEAL_HEIGHT - MARGIN.bottom, MARGIN.top]);
  const needed = line<TickReport>()
    .x((r) => x(r.t))
    .y((r) => y(r.memory.neededMiB));
  const swapped = area<TickReport>()
    .x((r) => x(r.t))
    .y0(() => y(usable))
    .y1((r) => y(usable + r.memory.swappedMiB));
  const balloon = area<TickReport>()
    .x((r) => x(r.t))
    .y0(() => y(0))
    .y1((r) => y(r.memory.balloonMiB));
  const stealLine = line<TickReport>()
    .x((r) => x(r.t))
    .y((r) => steal(r.cpu.stealPercent));
  const xTicks = x.ticks(8).map((value) => ({ x: x(value), value }));
  const memory: OvercommitChart = {
    width: w,
    height,
    margin: MARGIN,
    xTicks,
    yTicks: yGiB.ticks(5).map((value) => ({ y: yGiB(value), value })),
    neededPath: needed(reports) ?? '',
    usableY: y(usable),
    swappedPath: swapped(reports) ?? '',
    balloonPath: balloon(reports) ?? '',
  };
  const stealChart: StealChart = {
    width: w,
    height: STEAL_HEIGHT,
    margin: MARGIN,
    xTicks,
    yTicks: [0, 50, 100].map((value) => ({ y: steal(value), value })),
    stealPath: stealLine(reports) ?? '',
  };
  const vms: VmSummary[] = params.vms.map((spec, i) => {
    const own = reports.map((r) => r.vms[i]).filter((v) => v !== undefined);
    return {
      name: spec.name,
      peakCpuDemand: max(own, (v) => v.cpuDemand) ?? 0,
      peakStealPercent: max(own, (v) => v.stealPercent) ?? 0,
      peakWorkingSetMiB: max(own, (v) => v.workingSetMiB) ?? 0,
      meanProgressPercent: own.length === 0 ? 100 : own.reduce((a, v) => a + v.progressPercent, 0) / own.length,
    };
  });
  return { reports, summary, vms, memory, steal: stealChart };
}
