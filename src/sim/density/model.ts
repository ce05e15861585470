/**
 * Density: how many isolated instances of one application fit on a host as
 * full VMs versus OS-level containers (OpenVZ/LXC style, one shared kernel).
 *
 * A VM carries a whole guest OS (kernel, init, daemons, page cache) plus the
 * hypervisor's per-VM overhead (device-model process, vCPU state, nested page
 * tables); a container carries only its processes and a few MiB of kernel
 * objects (namespaces, cgroups). Teaching defaults, with sources:
 * - W. Felter, A. Ferreira, R. Rajamony, J. Rubio, "An Updated Performance
 *   Comparison of Virtual Machines and Linux Containers", IBM Research /
 *   ISPASS 2015: containers add negligible CPU and memory overhead; KVM adds
 *   overhead mainly for I/O.
 * - A. Agache et al., "Firecracker: Lightweight Virtualization for Serverless
 *   Applications", NSDI 2020: a minimal VMM with under 5 MiB memory overhead
 *   per microVM and ~125 ms boot — the VM side can be made thin too.
 * - OpenVZ documentation: containers share one kernel; per-container kernel
 *   memory is accounted (kmemsize) and is typically a few MiB.
 */

/** Per-instance costs of one isolation technology. */
export interface InstanceOverhead {
  /** Memory beyond the application itself: guest OS for a VM, kernel objects for a container. */
  readonly baseMiB: number;
  /** Host-side memory per instance: device model, vCPU and page-table state (VM); ~0 for a container. */
  readonly hostSideMiB: number;
  /** Fraction of `baseMiB` identical across instances and mergeable by page sharing (KSM). */
  readonly sharableFraction: number;
  /** CPU cores consumed per instance when idle (guest timers, daemons, housekeeping). */
  readonly idleCores: number;
  /** Seconds to start one instance. */
  readonly startSeconds: number;
}

/** Parameters of a density comparison. */
export interface DensityParams {
  readonly host: { readonly cores: number; readonly ramMiB: number; readonly reserveMiB: number };
  /** The application in each instance. */
  readonly app: { readonly ramMiB: number; readonly cores: number };
  readonly vm: InstanceOverhead;
  readonly container: InstanceOverhead;
  /** Merge identical pages across instances (KSM). */
  readonly pageSharing: boolean;
}

export const DEFAULT_DENSITY: DensityParams = {
  host: { cores: 32, ramMiB: 131072, reserveMiB: 4096 },
  app: { ramMiB: 256, cores: 0.1 },
  // A minimal Linux guest (kernel + systemd + sshd + page cache) and a QEMU-class VMM.
  vm: { baseMiB: 350, hostSideMiB: 40, sharableFraction: 0.4, idleCores: 0.02, startSeconds: 20 },
  // Namespaces, cgroups and an init process.
  container: { baseMiB: 8, hostSideMiB: 0, sharableFraction: 0, idleCores: 0.001, startSeconds: 0.5 },
  pageSharing: false,
};

/** Result for one technology. */
export interface DensityResult {
  /** Host memory per instance (the first instance pays the full base). */
  readonly perInstanceMiB: number;
  /** Overhead per instance beyond the application, in MiB. */
  readonly overheadMiB: number;
  readonly maxByMemory: number;
  readonly maxByCpu: number;
  readonly maxInstances: number;
  readonly limitedBy: 'memory' | 'cpu';
  readonly startSeconds: number;
}

function evaluate(p: DensityParams, o: InstanceOverhead): DensityResult {
  const usable = Math.max(0, p.host.ramMiB - p.host.reserveMiB);
  const shared = p.pageSharing ? o.baseMiB * o.sharableFraction : 0;
  // With sharing, the first instance keeps one copy of the shared part; the rest do not pay it.
  const marginal = p.app.ramMiB + o.baseMiB - shared + o.hostSideMiB;
  const first = marginal + shared;
  const maxByMemory = usable < first ? 0 : 1 + Math.floor((usable - first) / marginal);
  const perCore = p.app.cores + o.idleCores;
  const maxByCpu = perCore <= 0 ? Number.POSITIVE_INFINITY : Math.floor(p.host.cores / perCore);
  const maxInstances = Math.min(maxByMemory, maxByCpu);
  return {
    perInstanceMiB: marginal,
    overheadMiB: marginal - p.app.ramMiB,
    maxByMemory,
    maxByCpu,
    maxInstances,
    limitedBy: maxByMemory <= maxByCpu ? 'memory' : 'cpu',
    startSeconds: o.startSeconds,
  };
}

/**
 * How many instances fit as VMs and as containers.
 *
 * @example
 * const r = compareDensity(DEFAULT_DENSITY);
 * r.vm.maxInstances        // 196 (memory-bound)
 * r.container.maxInstances // 316 (CPU-bound: 32 cores / 0.101)
 */
export function compareDensity(params: DensityParams = DEFAULT_DENSITY): {
  vm: DensityResult;
  container: DensityResult;
  /** containers ÷ VMs on the same host. */
  ratio: number;
} {
  const vm = evaluate(params, params.vm);
  const container = evaluate(params, params.container);
  return { vm, container, ratio: vm.maxInstances === 0 ? Number.POSITIVE_INFINITY : container.maxInstances / vm.maxInstances };
}

/** Host memory used by `n` instances of each kind (for a chart), from 0 to `maxN`. */
export function densityCurve(
  params: DensityParams = DEFAULT_DENSITY,
  maxN = 100,
): { n: number; vmMiB: number; containerMiB: number }[] {
  const cost = (o: InstanceOverhead, n: number): number => {
    if (n === 0) return 0;
    const shared = params.pageSharing ? o.baseMiB * o.sharableFraction : 0;
    return shared + n * (params.app.ramMiB + o.baseMiB - shared + o.hostSideMiB);
  };
  return Array.from({ length: maxN + 1 }, (_, n) => ({
    n,
    vmMiB: cost(params.vm, n),
    containerMiB: cost(params.container, n),
  }));
}
