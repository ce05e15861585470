/**
 * The cost model: how many simulated host cycles each kind of event takes.
 *
 * Calibrated so the model reproduces the *orderings and orders of magnitude* of
 * published measurements, not one CPU's exact numbers. Most anchors come from the
 * nanobenchmarks of [AA06] on a Pentium 4 672 (cycles per operation, native /
 * software VMM with binary translation / hardware VMM on first-generation VT-x):
 *
 * | benchmark | native | BT     | VT-x   | how the model gets there (and where it differs)                   |
 * | --------- | ------ | ------ | ------ | ----------------------------------------------------------------- |
 * | syscall   | 242    | 2,308  | 246    | trap + handler + IRET; BT reflects the trap through the VMM       |
 * | in        | ≈3,200 | ≈216   | ≈3,400 | a real device port vs the device model in software                |
 * | cr8wr     | ≈150   | ≈30    | >3,000 | nearest here: DI/EI — BT inlines them, but they never exit on VT-x |
 * | callret   | ≈40    | ≈150   | ≈40    | BT looks up every return target; our CALL/RET cost 1 cycle each   |
 * | pgfault   | 1,093  | 3,927  | 11,242 | the VMM sees every guest #PF first; the VT-x figure comes out     |
 * |           |        |        |        | ~50% high, as the handler's PTE write costs a full ptemod exit    |
 * | divzero   | ≈1,000 | ≈8,000 | ≈1,200 | nearest: a #GP; VT-x delivers it to the guest, BT via the VMM     |
 * |           |        |        |        | (the model's BT figure is about 3,000)                            |
 * | ptemod    | store  | 391    | 12,733 | BT: adaptive callout; VT-x: a #PF exit and software emulation     |
 *
 * syscall, pgfault and ptemod are the paper's stated figures; the others are
 * approximate readings of its figure. The teaching machine's instructions are
 * simpler than x86's, so the model's totals (printed by `npm run bench:sim` as
 * `calibration`) match in order and magnitude, not exactly;
 * test/unit/sim/calibration.test.ts holds the orderings.
 *
 * Hardware-assist costs differ by CPU generation; see `presets.ts` for
 * "VT-x 2006" [AA06] and "modern with EPT" [AMRS12]. The defaults below are the
 * modern preset's. Every field is editable: pass a partial object to `init`.
 *
 * Sources:
 * - [AA06] K. Adams, O. Agesen, "A Comparison of Software and Hardware Techniques
 *   for x86 Virtualization", ASPLOS 2006. Nanobenchmarks above; a VT-x exit +
 *   entry round trip of about 2,400 cycles on the first VT-x CPUs; VMware's
 *   translator inlines CLI/STI and handles guest page-table writes with an
 *   adaptive callout; user-mode code runs by direct execution.
 * - [AMRS12] O. Agesen, J. Mattson, R. Rugina, J. Sheldon, "Software Techniques
 *   for Avoiding Hardware Virtualization Exits", USENIX ATC 2012: exit latency
 *   fell with each CPU generation to a few hundred cycles.
 * - [ELI12] A. Gordon, N. Amit, N. Har'El, M. Ben-Yehuda et al., "ELI: Bare-Metal
 *   Performance for I/O Virtualization", ASPLOS 2012: interrupt-related exits
 *   are the main remaining I/O overhead under hardware assistance.
 * - [Xen03] P. Barham et al., "Xen and the Art of Virtualization", SOSP 2003:
 *   hypercalls, batched updates, asynchronous I/O rings; guest system calls go
 *   straight to a fast handler registered with the hypervisor, never through it.
 * - [SN05] J. Smith, R. Nair, "Virtual Machines", Morgan Kaufmann 2005, ch. 2:
 *   a decode-and-dispatch interpreter spends tens of host instructions per
 *   guest instruction; translation pays a one-time cost to run near native.
 * - [QEMU05] F. Bellard, "QEMU, a Fast and Portable Dynamic Translator",
 *   USENIX ATC 2005: translation blocks cached and chained.
 */
export interface CostModel {
  /** One ordinary guest instruction executed directly on the CPU (native, direct execution, VT-x non-root). */
  readonly nativeInstruction: number;
  /** Hardware exception or system call into the kernel, up to its handler (the IRET back is {@link nativeIret}). */
  readonly nativeTrap: number;
  /** Hardware interrupt delivery into the kernel's handler. */
  readonly nativeInterrupt: number;
  /** IRET on the CPU: return from a trap or interrupt [AA06: syscall 242 = entry + handler + IRET]. */
  readonly nativeIret: number;
  /** CLI/STI (DI/EI) on the CPU: a few tens of cycles on the Pentium 4. */
  readonly nativeInterruptFlag: number;
  /** A page-table base load (MOV CR3, here LPTB) on the CPU, with its TLB flush. */
  readonly nativePtbLoad: number;
  /** Port I/O (IN/OUT) on a real device: the access crosses the chipset's bus [AA06: `in` ≈ 3,200]. */
  readonly nativeDeviceAccess: number;

  /** Pure emulation: fetch, decode and dispatch one guest instruction in software [SN05]. */
  readonly interpretedInstruction: number;
  /**
   * Pure emulation: building a trap or interrupt frame in software, or unwinding one
   * (IRET) — the privilege and descriptor checks the CPU's microcode would do.
   */
  readonly emulatedTrap: number;

  /** Trap-and-emulate: a deprivileged guest instruction faults into the monitor and the monitor resumes it. */
  readonly trapRoundTrip: number;
  /** Monitor work to decode and emulate one trapped instruction on the virtual CPU. */
  readonly monitorEmulation: number;
  /**
   * The device model: software that emulates one port access (console, timer, NIC).
   * The same in every virtualized strategy; a trap, callout, hypercall or exit adds
   * only its own transition [AA06: BT `in` 216 = callout + device model].
   */
  readonly deviceEmulation: number;
  /** A host timer interrupt arriving while the guest runs: into the monitor and back. */
  readonly hostInterrupt: number;
  /** Monitor builds a virtual interrupt or trap frame and enters the guest kernel. */
  readonly injectVirtual: number;
  /**
   * Shadow paging: monitor work for one guest page-table write — validate it and
   * update the shadow entry (under Xen: validate and apply it) [AA06: BT ptemod 391
   * = a callout + this].
   */
  readonly pageTableUpdate: number;
  /** Shadow paging: monitor work for a guest page-table base load (find or build the shadow, switch to it). */
  readonly pageTableSwitch: number;
  /**
   * Shadow paging: a guest page fault reaches the monitor first, which walks the
   * guest's table in software to tell a hidden fault from a true guest fault [AA06].
   */
  readonly shadowPageFault: number;

  /** Binary translation: translating one guest instruction (decode, classify, emit) [QEMU05]. */
  readonly translatePerInstruction: number;
  /** Binary translation: fixed cost per translated block (allocation, cache insert). */
  readonly translatePerBlock: number;
  /** Binary translation: one translated innocuous instruction (identical translation) [AA06]. */
  readonly translatedInstruction: number;
  /** Binary translation: a sensitive instruction rewritten inline, e.g. `DI` → store to virtual IF [AA06]. */
  readonly translatedSensitiveInline: number;
  /** Binary translation: a callout from the translation cache into the monitor (I/O, HLT, IRET, page-table writes…). */
  readonly translationCallout: number;
  /** Binary translation: finding the next block in the translation cache (hash lookup; every RET pays it). */
  readonly translationCacheLookup: number;
  /**
   * Binary translation: leaving translated kernel code for direct execution of guest
   * user code (segment limits and the shadow table's user view switched) [AA06].
   */
  readonly directExecutionSwitch: number;

  /** Paravirtualization: one hypercall into the hypervisor and back [Xen03]. */
  readonly hypercall: number;
  /** Paravirtualization: queueing one request in a shared I/O ring (no exit) [Xen03]. */
  readonly ringAppend: number;
  /** Paravirtualization: a shared-info page access (virtual IF, saved trap state, clock) instead of a privileged instruction. */
  readonly sharedInfoUpdate: number;
  /** Paravirtualization: delivering a virtual interrupt as an event-channel upcall. */
  readonly eventUpcall: number;
  /**
   * Paravirtualization: Xen checks one queued page-table update (the frame is the
   * guest's, the table's type count allows it) and writes it; updates go to Xen in
   * batches, one `mmu_update` hypercall each [Xen03].
   */
  readonly pageTableValidate: number;

  /** Hardware assist: VM exit + VM entry round trip in hardware [AA06, AMRS12]. */
  readonly vmExitRoundTrip: number;
  /** Hardware assist: injecting a virtual interrupt or exception on VM entry. */
  readonly vmEventInjection: number;
  /** Hardware assist: handler work for a HLT exit (block the vCPU, reschedule). */
  readonly exitHandlerHlt: number;
  /** Hardware assist: handler work for an I/O exit before the device model (read the exit qualification, dispatch) [ELI12]. */
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
  /**
   * Hardware assist without EPT: handler work for a guest page-table write, before
   * the shadow update — fetch and decode the faulting instruction in software and
   * emulate it [AA06: VT-x ptemod 12,733 = an exit + this + the shadow update].
   */
  readonly exitHandlerPageTableWrite: number;
}

/**
 * Default costs in simulated cycles. See {@link CostModel} for sources; the
 * hardware-assist fields are the "modern with EPT" preset (`presets.ts`).
 *
 * @example
 * const costs = { ...DEFAULT_COSTS, ...HW_PRESETS['vtx-2006'].costs }; // a 2006 VT-x CPU [AA06]
 */
export const DEFAULT_COSTS: CostModel = {
  nativeInstruction: 1,
  nativeTrap: 150,
  nativeInterrupt: 300,
  nativeIret: 70,
  nativeInterruptFlag: 20,
  nativePtbLoad: 200,
  nativeDeviceAccess: 3200,

  interpretedInstruction: 40,
  emulatedTrap: 600,

  trapRoundTrip: 1500,
  monitorEmulation: 300,
  deviceEmulation: 150,
  hostInterrupt: 1000,
  injectVirtual: 1000,
  pageTableUpdate: 330,
  pageTableSwitch: 500,
  shadowPageFault: 400,

  translatePerInstruction: 300,
  translatePerBlock: 1000,
  translatedInstruction: 1,
  translatedSensitiveInline: 4,
  translationCallout: 60,
  translationCacheLookup: 30,
  directExecutionSwitch: 1000,

  hypercall: 500,
  ringAppend: 15,
  sharedInfoUpdate: 3,
  eventUpcall: 300,
  pageTableValidate: 80,

  vmExitRoundTrip: 400,
  vmEventInjection: 50,
  exitHandlerHlt: 300,
  exitHandlerIo: 100,
  exitHandlerCr: 100,
  exitHandlerVmcall: 200,
  exitHandlerExternalInterrupt: 300,
  exitHandlerInterruptWindow: 50,
  exitHandlerException: 200,
  exitHandlerPageTableWrite: 1500,
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
