/**
 * The cost model: how many simulated host cycles each kind of event takes.
 *
 * These are teaching defaults, not measurements of one CPU. Where published
 * numbers exist they are cited; the rest are round numbers chosen to keep the
 * well-known *ratios* (a trap costs hundreds to thousands of instructions; a
 * translated instruction costs about one; an interpreted one costs tens).
 * Every field is editable: pass a partial object to the strategy's `init`.
 *
 * Sources:
 * - [AA06] K. Adams, O. Agesen, "A Comparison of Software and Hardware Techniques
 *   for x86 Virtualization", ASPLOS 2006. First-generation VT-x (Pentium 4
 *   "Prescott"): a VM exit + VM entry round trip of about 2,400 cycles, where
 *   VMware's binary translator replaces e.g. `cli` by a store to the virtual
 *   IF costing a few cycles, and handles most sensitive instructions without
 *   leaving the translation cache.
 * - [AMRS12] O. Agesen, J. Mattson, R. Rugina, J. Sheldon, "Software Techniques
 *   for Avoiding Hardware Virtualization Exits", USENIX ATC 2012: exit latency
 *   fell with each CPU generation to a few hundred cycles, but exits still
 *   dominate exit-heavy workloads.
 * - Intel, "Virtualization and Performance: Understanding VM Exits" (2009): a
 *   VM exit/entry costs "hundreds or thousands of cycles"; modern cores measure
 *   roughly 500–1,500 cycles for a round trip, more when the exit goes to a
 *   user-space device model.
 * - [ELI12] A. Gordon, N. Amit, N. Har'El, M. Ben-Yehuda et al., "ELI: Bare-Metal
 *   Performance for I/O Virtualization", ASPLOS 2012: interrupt-related exits
 *   are the main remaining I/O overhead under hardware assistance.
 * - [Xen03] P. Barham et al., "Xen and the Art of Virtualization", SOSP 2003:
 *   hypercalls, batched updates and asynchronous I/O rings; guests may install
 *   fast system-call handlers that bypass the hypervisor.
 * - [SN05] J. Smith, R. Nair, "Virtual Machines", Morgan Kaufmann 2005, ch. 2:
 *   a decode-and-dispatch interpreter spends tens of host instructions per
 *   guest instruction; translation pays a one-time cost to run near native.
 * - [QEMU05] F. Bellard, "QEMU, a Fast and Portable Dynamic Translator",
 *   USENIX ATC 2005: translation blocks cached and chained.
 */
export interface CostModel {
  /** One guest instruction executed directly on the CPU (native, direct execution, VT-x non-root). */
  readonly nativeInstruction: number;
  /** Hardware trap or system call into the kernel and back on bare metal. */
  readonly nativeTrap: number;
  /** Hardware interrupt delivery and return on bare metal. */
  readonly nativeInterrupt: number;

  /** Pure emulation: fetch, decode and dispatch one guest instruction in software [SN05]. */
  readonly interpretedInstruction: number;
  /** Pure emulation: extra work when an interpreted instruction touches a device model. */
  readonly emulatedDeviceAccess: number;
  /** Pure emulation: building a trap or interrupt frame in software. */
  readonly emulatedTrap: number;

  /** Trap-and-emulate: a deprivileged guest instruction faults into the monitor and the monitor resumes it. */
  readonly trapRoundTrip: number;
  /** Monitor work to decode and emulate one trapped instruction on the virtual CPU. */
  readonly monitorEmulation: number;
  /** Device-model work for one emulated port access (console, timer, NIC). */
  readonly deviceEmulation: number;
  /** A host timer interrupt arriving while the guest runs: into the monitor and back. */
  readonly hostInterrupt: number;
  /** Monitor builds a virtual interrupt or trap frame and enters the guest kernel. */
  readonly injectVirtual: number;

  /** Binary translation: translating one guest instruction (decode, classify, emit) [QEMU05]. */
  readonly translatePerInstruction: number;
  /** Binary translation: fixed cost per translated block (allocation, cache insert). */
  readonly translatePerBlock: number;
  /** Binary translation: one translated innocuous instruction (identical translation) [AA06]. */
  readonly translatedInstruction: number;
  /** Binary translation: a sensitive instruction rewritten inline, e.g. `DI` → store to virtual IF [AA06]. */
  readonly translatedSensitiveInline: number;
  /** Binary translation: a callout from the translation cache into the monitor (I/O, HLT, IRET...). */
  readonly translationCallout: number;
  /** Binary translation: finding the next block in the translation cache (hash lookup). */
  readonly translationCacheLookup: number;

  /** Paravirtualization: one hypercall into the hypervisor and back [Xen03]. */
  readonly hypercall: number;
  /** Paravirtualization: queueing one request in a shared I/O ring (no exit) [Xen03]. */
  readonly ringAppend: number;
  /** Paravirtualization: a shared-info page access (virtual IF, saved trap state, clock) instead of a privileged instruction. */
  readonly sharedInfoUpdate: number;
  /** Paravirtualization: delivering a virtual interrupt as an event-channel upcall. */
  readonly eventUpcall: number;

  /** Hardware assist: VM exit + VM entry round trip in hardware [AA06, AMRS12]. */
  readonly vmExitRoundTrip: number;
  /** Hardware assist: injecting a virtual interrupt on VM entry. */
  readonly vmEventInjection: number;
  /** Hardware assist: handler work for a HLT exit (block the vCPU, reschedule). */
  readonly exitHandlerHlt: number;
  /** Hardware assist: handler work for an I/O exit (decode + device model) [ELI12]. */
  readonly exitHandlerIo: number;
  /** Hardware assist: handler work for a control-register (page-table base) exit. */
  readonly exitHandlerCr: number;
  /** Hardware assist: handler work for a VMCALL exit. */
  readonly exitHandlerVmcall: number;
  /** Hardware assist: handler work for an external-interrupt exit [ELI12]. */
  readonly exitHandlerExternalInterrupt: number;
  /** Hardware assist: handler work for an interrupt-window exit. */
  readonly exitHandlerInterruptWindow: number;
  /** Hardware assist: handler work for an exception exit (inspect it, inject it back into the guest). */
  readonly exitHandlerException: number;
}

/**
 * Default costs in simulated cycles. See {@link CostModel} for sources.
 *
 * @example
 * const costs = { ...DEFAULT_COSTS, vmExitRoundTrip: 2400 }; // a Prescott-era CPU [AA06]
 */
export const DEFAULT_COSTS: CostModel = {
  nativeInstruction: 1,
  nativeTrap: 150,
  nativeInterrupt: 300,

  interpretedInstruction: 40,
  emulatedDeviceAccess: 200,
  emulatedTrap: 200,

  trapRoundTrip: 1500,
  monitorEmulation: 300,
  deviceEmulation: 1000,
  hostInterrupt: 1000,
  injectVirtual: 400,

  translatePerInstruction: 300,
  translatePerBlock: 1000,
  translatedInstruction: 1,
  translatedSensitiveInline: 4,
  translationCallout: 150,
  translationCacheLookup: 20,

  hypercall: 500,
  ringAppend: 15,
  sharedInfoUpdate: 3,
  eventUpcall: 300,

  vmExitRoundTrip: 1000,
  vmEventInjection: 80,
  exitHandlerHlt: 300,
  exitHandlerIo: 1000,
  exitHandlerCr: 200,
  exitHandlerVmcall: 300,
  exitHandlerExternalInterrupt: 500,
  exitHandlerInterruptWindow: 100,
  exitHandlerException: 400,
};

/** Fills a partial cost model with defaults and rejects negative or non-finite costs. */
export function resolveCosts(partial: Partial<CostModel> = {}): CostModel {
  const costs: CostModel = { ...DEFAULT_COSTS, ...partial };
  for (const [key, value] of Object.entries(costs)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`cost ${key} must be a finite number ≥ 0, got ${String(value)}`);
    }
  }
  return costs;
}
