import { demandAt, type DemandShape } from './demand.ts';

/**
 * Overcommit: more vCPUs and more configured RAM than the host has, betting
 * that not every VM needs everything at once. This model follows the
 * mechanisms of C. Waldspurger, "Memory Resource Management in VMware ESX
 * Server" (OSDI 2002): a hypervisor cannot see which guest pages are free, so
 * memory a guest once touched stays resident until a *balloon* driver inside
 * the guest reclaims it; identical pages of VMs running the same image can be
 * merged (content-based page sharing, Linux KSM); only when that is not enough
 * does the host swap guest memory behind the guest's back — the slow path.
 * CPU is shared proportionally; the time a runnable vCPU waits for a physical
 * core is reported as steal time.
 */

/** The physical host. */
export interface HostSpec {
  readonly cores: number;
  readonly ramMiB: number;
  /** RAM kept for the host OS and hypervisor. Default 2048. */
  readonly reserveMiB?: number;
}

/** One VM and its demand over time. */
export interface VmSpec {
  readonly name: string;
  readonly vcpus: number;
  readonly ramMiB: number;
  /** Fraction of its vCPUs the VM wants to run. */
  readonly cpuDemand: DemandShape;
  /** Fraction of its configured RAM in the active working set. */
  readonly memoryDemand: DemandShape;
  /** VMs with the same image have identical pages to share (e.g. 'ubuntu-24.04'). */
  readonly image?: string;
  /** Fraction of the working set identical across VMs of the same image. Default 0.3. */
  readonly sharableFraction?: number;
  /** Host memory per VM beyond guest RAM (device model, page tables). Default 32. */
  readonly overheadMiB?: number;
  /**
   * How busy this VM is relative to its demand shapes: both demands are
   * multiplied by it (then capped at 100% of the VM). 0 is an idle VM, 2 twice
   * the load. Default 1.
   */
  readonly load?: number;
}

/** Which reclamation mechanisms the hypervisor uses, and how fast they act. */
export interface OvercommitPolicy {
  /** Balloon driver in the guests. Default true. */
  readonly ballooning: boolean;
  /** Content-based page sharing / KSM. Default true. */
  readonly pageSharing: boolean;
  /** Fraction of reclaimable (idle) guest memory the balloon takes per tick under pressure. Default 0.3. */
  readonly balloonRate: number;
  /** Fraction of the remaining sharable memory KSM merges per tick (it scans gradually). Default 0.2. */
  readonly sharingRate: number;
  /** Start ballooning when host memory use exceeds this fraction of what is available. Default 0.9. */
  readonly highWatermark: number;
  /** Deflate balloons below this fraction. Default 0.75. */
  readonly lowWatermark: number;
}

export const DEFAULT_POLICY: OvercommitPolicy = {
  ballooning: true,
  pageSharing: true,
  balloonRate: 0.3,
  sharingRate: 0.2,
  highWatermark: 0.9,
  lowWatermark: 0.75,
};

/** Parameters for {@link init}. */
export interface OvercommitParams {
  readonly host: HostSpec;
  readonly vms: readonly VmSpec[];
  readonly policy?: Partial<OvercommitPolicy>;
  readonly seed?: number;
}

/** Per-VM memory state carried between ticks. */
export interface VmRuntime {
  readonly name: string;
  cpu: number;
  memory: number;
  /** Guest memory the host backs (touched at some point and not ballooned). */
  touchedMiB: number;
  balloonMiB: number;
  rngState: number;
}

/** The model state. */
export interface OvercommitState {
  readonly params: OvercommitParams;
  readonly policy: OvercommitPolicy;
  readonly t: number;
  readonly vms: readonly VmRuntime[];
  /** Memory currently merged by page sharing. */
  readonly sharedSavedMiB: number;
}

/** Per-VM figures for one tick. */
export interface VmReport {
  readonly name: string;
  /** Cores the VM wants. */
  readonly cpuDemand: number;
  readonly cpuGranted: number;
  /** Percent of wanted CPU time spent waiting for a physical core. */
  readonly stealPercent: number;
  readonly workingSetMiB: number;
  readonly touchedMiB: number;
  readonly balloonMiB: number;
  readonly swappedMiB: number;
  /** Progress relative to running alone on an idle host, 0–100 (less with steal and with swapped working set). */
  readonly progressPercent: number;
}

/** What happened in one tick. */
export interface TickReport {
  readonly t: number;
  /** vCPUs per physical core, configured RAM per usable host RAM, working set per usable host RAM. */
  readonly ratios: { readonly vcpuPerCore: number; readonly configuredRam: number; readonly activeRam: number };
  readonly cpu: { readonly demandedCores: number; readonly grantedCores: number; readonly stealPercent: number };
  readonly memory: {
    readonly usableMiB: number;
    readonly configuredMiB: number;
    readonly workingSetMiB: number;
    readonly touchedMiB: number;
    readonly balloonMiB: number;
    readonly sharedSavedMiB: number;
    readonly overheadMiB: number;
    /** Host memory needed after sharing (touched − shared + overheads). */
    readonly neededMiB: number;
    readonly swappedMiB: number;
  };
  readonly state: 'ok' | 'reclaiming' | 'swapping';
  readonly vms: readonly VmReport[];
}

function resolvePolicy(p: Partial<OvercommitPolicy> | undefined): OvercommitPolicy {
  return { ...DEFAULT_POLICY, ...p };
}

/** Usable host RAM for guests. */
export function usableRam(host: HostSpec): number {
  return Math.max(0, host.ramMiB - (host.reserveMiB ?? 2048));
}

/**
 * Static overcommit ratios of a configuration.
 *
 * @example
 * overcommitRatios({ cores: 8, ramMiB: 34816 }, [{ vcpus: 4, ramMiB: 8192 }, ...6 VMs])
 * // { vcpuPerCore: 3, configuredRam: 1.5 }
 */
export function overcommitRatios(
  host: HostSpec,
  vms: readonly Pick<VmSpec, 'vcpus' | 'ramMiB'>[],
): { vcpuPerCore: number; configuredRam: number } {
  const vcpus = vms.reduce((a, v) => a + v.vcpus, 0);
  const ram = vms.reduce((a, v) => a + v.ramMiB, 0);
  const usable = usableRam(host);
  return { vcpuPerCore: host.cores === 0 ? 0 : vcpus / host.cores, configuredRam: usable === 0 ? 0 : ram / usable };
}

/**
 * A host with VMs at tick 0, before any demand.
 *
 * @example
 * const s0 = init(exampleScenario());
 * const { state: s1, report } = step(s0);
 */
export function init(params: OvercommitParams): OvercommitState {
  const seed = params.seed ?? 1;
  return {
    params,
    policy: resolvePolicy(params.policy),
    t: 0,
    vms: params.vms.map((v, i) => ({
      name: v.name,
      cpu: 0,
      memory: 0,
      touchedMiB: 0,
      balloonMiB: 0,
      rngState: (seed * 0x9e3779b1 + i * 0x85ebca6b) | 0,
    })),
    sharedSavedMiB: 0,
  };
}

/** Potential saving from merging identical pages: per image, all but one copy. */
function sharingPotential(specs: readonly VmSpec[], backed: readonly number[]): number {
  const groups = new Map<string, number[]>();
  specs.forEach((v, i) => {
    if (v.image === undefined) return;
    const sharable = (v.sharableFraction ?? 0.3) * (backed[i] ?? 0);
    groups.set(v.image, [...(groups.get(v.image) ?? []), sharable]);
  });
  let saving = 0;
  for (const values of groups.values()) {
    if (values.length < 2) continue;
    // Identical content is stored once: keep the largest copy, merge the others.
    saving += values.reduce((a, b) => a + b, 0) - Math.max(...values);
  }
  return saving;
}

/**
 * Advances one tick. Pure: returns a new state and the tick's report.
 *
 * @example
 * const { state, report } = step(init(params));
 * report.cpu.stealPercent
 */
export function step(state: OvercommitState): { state: OvercommitState; report: TickReport } {
  const { params, policy, t } = state;
  const specs = params.vms;
  const usable = usableRam(params.host);

  // 1. Demand.
  const vms: VmRuntime[] = state.vms.map((rt, i) => {
    const spec = specs[i];
    if (spec === undefined) return { ...rt };
    const cpu = demandAt(spec.cpuDemand, t, rt.cpu, rt.rngState);
    const mem = demandAt(spec.memoryDemand, t, rt.memory, cpu.rngState);
    return { ...rt, cpu: cpu.value, memory: mem.value, rngState: mem.rngState };
  });
  // The runtime keeps the shapes' own values (a random walk continues from them); the load scales what the VM asks for.
  const load = (i: number): number => Math.max(0, specs[i]?.load ?? 1);
  const workingSet = vms.map((v, i) => Math.min(1, v.memory * load(i)) * (specs[i]?.ramMiB ?? 0));

  // 2. CPU: proportional share when oversubscribed.
  const demanded = vms.map((v, i) => Math.min(1, v.cpu * load(i)) * (specs[i]?.vcpus ?? 0));
  const totalDemand = demanded.reduce((a, b) => a + b, 0);
  const share = totalDemand > params.host.cores ? params.host.cores / totalDemand : 1;
  const granted = demanded.map((d) => d * share);

  // 3. Memory: touched pages stay resident (the host cannot see guest frees).
  for (let i = 0; i < vms.length; i++) {
    const v = vms[i];
    const spec = specs[i];
    if (v === undefined || spec === undefined) continue;
    const ws = workingSet[i] ?? 0;
    // A growing working set first takes memory back from the balloon.
    if (ws > v.touchedMiB) {
      const needed = ws - v.touchedMiB;
      const fromBalloon = Math.min(v.balloonMiB, needed);
      v.balloonMiB -= fromBalloon;
      v.touchedMiB = Math.min(spec.ramMiB - v.balloonMiB, v.touchedMiB + needed);
    }
  }
  const overhead = specs.reduce((a, v) => a + (v.overheadMiB ?? 32), 0);
  const needed = (): number => vms.reduce((a, v) => a + v.touchedMiB, 0) + overhead;

  // 4. Page sharing converges gradually towards what is mergeable now.
  const potential = policy.pageSharing
    ? sharingPotential(
        specs,
        vms.map((v) => v.touchedMiB),
      )
    : 0;
  const saved = Math.min(potential, state.sharedSavedMiB + policy.sharingRate * Math.max(0, potential - state.sharedSavedMiB));

  // 5. Ballooning under pressure, deflation when pressure is gone.
  let reclaiming = false;
  if (policy.ballooning) {
    const pressure = (needed() - saved) / Math.max(1, usable);
    if (pressure > policy.highWatermark) {
      reclaiming = true;
      for (let i = 0; i < vms.length; i++) {
        const v = vms[i];
        if (v === undefined) continue;
        const idle = Math.max(0, v.touchedMiB - (workingSet[i] ?? 0));
        const take = idle * policy.balloonRate;
        v.touchedMiB -= take;
        v.balloonMiB += take;
      }
    } else if (pressure < policy.lowWatermark) {
      for (const v of vms) v.balloonMiB *= 1 - policy.balloonRate;
    }
  }

  // 6. Whatever still does not fit is swapped by the host.
  const neededMiB = needed() - saved;
  const swapped = Math.max(0, neededMiB - usable);
  const touchedTotal = vms.reduce((a, v) => a + v.touchedMiB, 0);
  const vmReports: VmReport[] = vms.map((v, i) => {
    const d = demanded[i] ?? 0;
    const g = granted[i] ?? 0;
    const ws = workingSet[i] ?? 0;
    // Host swap hits VMs in proportion to their resident memory; it hurts only the
    // part of the working set that is swapped out.
    const vmSwapped = touchedTotal === 0 ? 0 : (swapped * v.touchedMiB) / touchedTotal;
    const swappedWs = Math.min(ws, vmSwapped);
    const cpuShare = d === 0 ? 1 : g / d;
    return {
      name: v.name,
      cpuDemand: d,
      cpuGranted: g,
      stealPercent: d === 0 ? 0 : 100 * (1 - g / d),
      workingSetMiB: ws,
      touchedMiB: v.touchedMiB,
      balloonMiB: v.balloonMiB,
      swappedMiB: vmSwapped,
      progressPercent: 100 * cpuShare * (ws === 0 ? 1 : 1 - swappedWs / ws),
    };
  });
  const ratios = overcommitRatios(params.host, specs);
  const wsTotal = workingSet.reduce((a, b) => a + b, 0);
  const report: TickReport = {
    t,
    ratios: { ...ratios, activeRam: usable === 0 ? 0 : wsTotal / usable },
    cpu: {
      demandedCores: totalDemand,
      grantedCores: granted.reduce((a, b) => a + b, 0),
      stealPercent: totalDemand === 0 ? 0 : 100 * (1 - share),
    },
    memory: {
      usableMiB: usable,
      configuredMiB: specs.reduce((a, v) => a + v.ramMiB, 0),
      workingSetMiB: wsTotal,
      touchedMiB: touchedTotal,
      balloonMiB: vms.reduce((a, v) => a + v.balloonMiB, 0),
      sharedSavedMiB: saved,
      overheadMiB: overhead,
      neededMiB,
      swappedMiB: swapped,
    },
    state: swapped > 0 ? 'swapping' : reclaiming ? 'reclaiming' : 'ok',
    vms: vmReports,
  };
  return { state: { ...state, t: t + 1, vms, sharedSavedMiB: saved }, report };
}

/**
 * Runs `ticks` ticks from the start and returns every report.
 *
 * @example
 * simulate(exampleScenario(), 48).map((r) => r.memory.swappedMiB)
 */
export function simulate(params: OvercommitParams, ticks: number): TickReport[] {
  let state = init(params);
  const reports: TickReport[] = [];
  for (let i = 0; i < ticks; i++) {
    const r = step(state);
    state = r.state;
    reports.push(r.report);
  }
  return reports;
}

/** The size of the ready-made scenario: a host and a number of identical VMs. */
export interface ScenarioSize {
  readonly cores: number;
  readonly ramMiB: number;
  readonly vmCount: number;
  readonly vcpusPerVm: number;
  readonly ramPerVmMiB: number;
}

/** 16 cores and 64 GiB with twelve 4-vCPU / 8 GiB VMs: 3 vCPUs per core, RAM 1.6× overcommitted. */
export const EXAMPLE_SIZE: ScenarioSize = { cores: 16, ramMiB: 65536, vmCount: 12, vcpusPerVm: 4, ramPerVmMiB: 8192 };

/**
 * The name of the ready-made scenario's VM at `index` (0-based).
 *
 * @example
 * exampleVmName(0) // 'vm1'
 */
export const exampleVmName = (index: number): string => `vm${index + 1}`;

/**
 * A ready-made scenario: VMs of one image whose load follows a day; two VMs burst in
 * the afternoon. {@link EXAMPLE_SIZE} unless `size` says otherwise (the simulator's sliders).
 *
 * @example
 * exampleScenario({ ballooning: false }, { ...EXAMPLE_SIZE, vmCount: 20 }).vms.length // 20
 */
export function exampleScenario(policy: Partial<OvercommitPolicy> = {}, size: ScenarioSize = EXAMPLE_SIZE): OvercommitParams {
  const vms: VmSpec[] = Array.from({ length: size.vmCount }, (_, i) => ({
    name: exampleVmName(i),
    vcpus: size.vcpusPerVm,
    ramMiB: size.ramPerVmMiB,
    image: 'ubuntu-24.04',
    cpuDemand:
      i < 2
        ? { kind: 'burst', base: 0.3, peak: 1, start: 14, duration: 4 }
        : { kind: 'diurnal', base: 0.35, amplitude: 0.25, periodTicks: 24, phase: i * 0.2 },
    memoryDemand: { kind: 'diurnal', base: 0.55, amplitude: 0.25, periodTicks: 24, phase: i * 0.3 },
  }));
  return { host: { cores: size.cores, ramMiB: size.ramMiB }, vms, policy, seed: 7 };
}

/** What the learner may change on one VM. */
export type VmChange = Partial<Pick<VmSpec, 'vcpus' | 'ramMiB' | 'load'>>;

/**
 * The same host and VMs with one VM resized or made busier or quieter (the
 * learner's per-VM sliders). Unknown names leave the parameters as they are.
 *
 * @example
 * withVm(exampleScenario(), 'vm3', { load: 0 }).vms[2]?.load // 0: vm3 sits idle
 */
export function withVm(params: OvercommitParams, name: string, change: VmChange): OvercommitParams {
  for (const [key, value] of Object.entries(change)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`${key} must be a finite number ≥ 0, got ${String(value)}`);
    }
  }
  return { ...params, vms: params.vms.map((v) => (v.name === name ? { ...v, ...change } : v)) };
}
