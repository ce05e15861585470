import { max } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { simulate, usableRam, withVm, type OvercommitParams, type TickReport, type VmSpec } from '../../sim/overcommit/index.ts';

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

/** Slider ranges (min, max, step). */
export const OVERCOMMIT_RANGES = {
  hostCores: [2, 64, 2],
  hostRamGiB: [8, 256, 8],
  vmCount: [1, 40, 1],
  vcpusPerVm: [1, 16, 1],
  ramPerVmGiB: [1, 32, 1],
  loadPercent: [0, 200, 10],
} as const satisfies Record<string, readonly [number, number, number]>;

/** The model's ready-made scenario as slider values: 16 cores, 64 GiB, twelve 4-vCPU / 8 GiB VMs. */
export const DEFAULT_OVERCOMMIT: OvercommitControls = {
  hostCores: 16,
  hostRamGiB: 64,
  vmCount: 12,
  vcpusPerVm: 4,
  ramPerVmGiB: 8,
  ballooning: true,
  pageSharing: true,
  vmOverrides: {},
};

/** The name of the VM at `index` (0-based), as the scenario names it. */
export const vmName = (index: number): string => `vm${index + 1}`;

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
 * Model parameters for the controls: VMs of one image whose load follows a day,
 * two of them bursting in the afternoon — the model's example scenario, resized.
 *
 * @example
 * scenario(DEFAULT_OVERCOMMIT).vms.length // 12
 */
export function scenario(c: OvercommitControls): OvercommitParams {
  const vms: VmSpec[] = Array.from({ length: c.vmCount }, (_, i) => ({
    name: vmName(i),
    vcpus: c.vcpusPerVm,
    ramMiB: c.ramPerVmGiB * 1024,
    image: 'ubuntu-24.04',
    cpuDemand:
      i < 2
        ? { kind: 'burst', base: 0.3, peak: 1, start: 14, duration: 4 }
        : { kind: 'diurnal', base: 0.35, amplitude: 0.25, periodTicks: 24, phase: i * 0.2 },
    memoryDemand: { kind: 'diurnal', base: 0.55, amplitude: 0.25, periodTicks: 24, phase: i * 0.3 },
  }));
  let params: OvercommitParams = {
    host: { cores: c.hostCores, ramMiB: c.hostRamGiB * 1024 },
    vms,
    policy: { ballooning: c.ballooning, pageSharing: c.pageSharing },
    seed: 7,
  };
  // The model's own command applies each VM's settings.
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

  const w = Math.max(280, width);
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
