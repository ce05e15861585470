/**
 * The KVM bridge's WebSocket protocol, defined once for the server and the browser client.
 * No Node imports. Every frame is one JSON object; every object is checked here, strictly, so
 * unknown fields are an error. PROTOCOL.md describes the same messages for readers; bump
 * `PROTOCOL_VERSION` (protocol-constants.ts) and record the change there whenever a schema here
 * changes.
 */
// zod/mini: the page loads this file too, and the progress store already ships zod/mini's core on
// every lesson page; classic zod would add about 10 KB (brotli) to each of them.
import * as z from 'zod/mini';
import { MESSAGE_KEYS } from './texts.ts';
import { DEFAULT_MICRO_REPEATS } from './micro-timing.ts';
import { MAX_INPUT_CHARS, MAX_MICRO_ITERATIONS, MAX_MICRO_PAGES, MAX_MICRO_REPEATS } from './constants.ts';

export {
  MAX_FRAME_BYTES,
  MAX_INPUT_CHARS,
  MAX_MICRO_ITERATIONS,
  MAX_MICRO_PAGES,
  MAX_MICRO_REPEATS,
  PROTOCOL_VERSION,
  WS_PATH,
} from './constants.ts';

const slug = z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/), z.maxLength(64));
/** Optional client-chosen tag echoed in the replies to that message. */
const ref = z.optional(z.string().check(z.minLength(1), z.maxLength(64)));
/** A guest handle issued by the bridge in `guest-state`, e.g. `g1`. */
const guestId = z.string().check(z.regex(/^g\d{1,9}$/));
const messageKey = z.enum(MESSAGE_KEYS);
const messageParams = z.record(z.string().check(z.maxLength(40)), z.union([z.string().check(z.maxLength(500)), z.number()]));

/** How QEMU should run a guest: `auto` picks hardware KVM when the host has it, else TCG. */
export const ACCEL_CHOICES = ['auto', 'kvm', 'tcg'] as const;
export const accelChoiceSchema = z.enum(ACCEL_CHOICES);
export type AccelChoice = z.infer<typeof accelChoiceSchema>;
export const accelSchema = z.enum(['kvm', 'tcg']);
export type Accel = z.infer<typeof accelSchema>;

/**
 * Fixed micro-guest programs (see micro-programs.ts): `hello`, and the workloads `out-loop` (port
 * I/O), `compute` (registers only) and `memory` (first touch of guest pages), which take a loop count.
 */
export const MICRO_PROGRAMS = ['hello', 'out-loop', 'compute', 'memory'] as const;
export const microProgramSchema = z.enum(MICRO_PROGRAMS);
export type MicroProgramName = z.infer<typeof microProgramSchema>;
/** The micro-programs with a loop count. */
export type MicroWorkloadName = Exclude<MicroProgramName, 'hello'>;
export const MICRO_WORKLOADS = ['compute', 'memory', 'out-loop'] as const satisfies readonly MicroWorkloadName[];

/** A loop count of a workload; `memory` is further bounded by {@link microMaxIterations}. */
const microIterations = z.int().check(z.minimum(1), z.maximum(MAX_MICRO_ITERATIONS));

/**
 * Largest loop count of a program.
 * @example microMaxIterations('memory') // 144
 */
export function microMaxIterations(program: MicroProgramName): number {
  return program === 'memory' ? MAX_MICRO_PAGES : MAX_MICRO_ITERATIONS;
}

// ---------------------------------------------------------------- client → bridge

/** Must be the first frame. Anything else first closes the connection (1008). */
export const helloSchema = z.strictObject({
  type: z.literal('hello'),
  /** The client's protocol version; must equal the bridge's. */
  protocol: z.int().check(z.positive()),
  /** The token from the URL the bridge printed at start. */
  token: z.string().check(z.minLength(1), z.maxLength(256)),
});

export const clientMessageSchema = z.discriminatedUnion('type', [
  helloSchema,
  /** Liveness check; answered with `pong`. Valid any time after `hello`. */
  z.strictObject({ type: z.literal('ping'), ref }),
  /** Asks for the host checklist (`host-check-result`). */
  z.strictObject({ type: z.literal('host-check'), ref }),
  /** Asks for the guests this bridge can start (`guest-list`). */
  z.strictObject({ type: z.literal('list-guests'), ref }),
  /** Starts a guest by name and variant; answered with `guest-state` (phase `launching`) or `error`. */
  z.strictObject({
    type: z.literal('start'),
    ref,
    /** A lab id from the bridge's lab definitions, e.g. `linux-guest`. */
    guest: slug,
    /** A variant of that guest, e.g. `emulated` or `virtio`. */
    variant: slug,
    /** Accelerator; default `auto`. */
    accel: z._default(accelChoiceSchema, 'auto'),
  }),
  /** Keystrokes or pasted text for the guest's serial console. Valid while `booting` or `running`. */
  z.strictObject({ type: z.literal('input'), guestId, data: z.string().check(z.minLength(1), z.maxLength(MAX_INPUT_CHARS)) }),
  /** Stops (kills) a guest. Valid in any phase before `exited`. */
  z.strictObject({ type: z.literal('stop'), ref, guestId }),
  /**
   * Backpressure from the page: `paused: true` asks the bridge to stop reading the guest's console
   * (QEMU's serial port then stalls the guest's writes) until `paused: false`. The page sends it when
   * its terminal has too much output still to draw. Valid while `launching`, `booting` or `running`.
   */
  z.strictObject({ type: z.literal('console-flow'), guestId, paused: z.boolean() }),
  /**
   * Streams QMP `query-stats` counters of a guest every `intervalMs` (250–10000); 0 stops the stream.
   * Valid while `booting` or `running`.
   */
  z.strictObject({
    type: z.literal('watch-stats'),
    guestId,
    intervalMs: z.union([z.literal(0), z.int().check(z.minimum(250), z.maximum(10_000))]),
  }),
  /**
   * Runs a micro-guest directly through the KVM API; exits stream as `kvm-exit`, then
   * `hello-kvm-done`. The bridge then runs the same program twice more unstreamed to time the exits.
   */
  z
    .strictObject({
      type: z.literal('hello-kvm'),
      ref,
      program: microProgramSchema,
      /** Loop count of the workloads (ignored by `hello`). Default 1000, or 144 for `memory`. */
      iterations: z.optional(microIterations),
    })
    .check(
      z.refine((m) => m.iterations === undefined || m.iterations <= microMaxIterations(m.program), {
        error: `memory touches at most ${MAX_MICRO_PAGES} pages`,
        path: ['iterations'],
      }),
    ),
  /**
   * Runs a micro-guest program under `kvm` (the raw KVM API, as `hello-kvm`) or `tcg` (QEMU, the
   * same bytes as a 64 KiB BIOS, micro-rom.ts) and times it, answered with one `micro-run-result`
   * or an `error`. A workload runs at both loop counts, alternately, `repeats` times each; `hello`
   * runs `repeats` times. Valid after hello; one micro-guest run at a time per bridge.
   */
  z
    .strictObject({
      type: z.literal('micro-run'),
      ref,
      accel: accelSchema,
      /** Default `out-loop`. */
      program: z._default(microProgramSchema, 'out-loop'),
      /**
       * Two loop counts N1 < N2 (ignored by `hello`). Default per program
       * (DEFAULT_MICRO_COUNTS_BY_PROGRAM: `out-loop` 20 000 and 200 000).
       */
      counts: z.optional(
        z
          .tuple([microIterations, microIterations])
          .check(z.refine((c) => c[0] < c[1], { error: 'the first loop count must be smaller than the second' })),
      ),
      /** Runs per loop count, 1–5; the fastest run of each count is used. Default 3. */
      repeats: z._default(z.int().check(z.minimum(1), z.maximum(MAX_MICRO_REPEATS)), DEFAULT_MICRO_REPEATS),
    })
    .check(
      z.refine((m) => m.counts === undefined || m.counts[1] <= microMaxIterations(m.program), {
        error: `memory touches at most ${MAX_MICRO_PAGES} pages`,
        path: ['counts'],
      }),
    ),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
/** What a client writes before defaults are applied (e.g. `accel` may be left out). */
export type ClientMessageInput = z.input<typeof clientMessageSchema>;

// ---------------------------------------------------------------- bridge → client

export const GUEST_PHASES = ['launching', 'booting', 'running', 'stopping', 'exited'] as const;
export const guestPhaseSchema = z.enum(GUEST_PHASES);
export type GuestPhase = z.infer<typeof guestPhaseSchema>;

/** Why a guest stopped, carried by `guest-state` in phase `stopping`/`exited`. */
export const STOP_REASONS = [
  'client-stop',
  'client-gone',
  'idle-timeout',
  'lifetime-expired',
  'boot-timeout',
  'kvm-boot-failed',
  'qemu-exited',
  'qemu-failed',
  'bridge-shutdown',
] as const;
export const stopReasonSchema = z.enum(STOP_REASONS);
export type StopReason = z.infer<typeof stopReasonSchema>;

export const CHECK_STATUSES = ['ok', 'warn', 'fail', 'info'] as const;

/** One line of the host checklist. `fixes` says what to do when the status is `fail` or `warn`. */
export const checkItemSchema = z.strictObject({
  id: z.enum(['cpu', 'kvm-device', 'kvm-module', 'nested', 'qemu', 'libvirt']),
  status: z.enum(CHECK_STATUSES),
  message: messageKey,
  params: messageParams,
  fixes: z.array(messageKey),
});
export type CheckItem = z.infer<typeof checkItemSchema>;

/** hardware: kvm_intel/kvm_amd; software: another KVM module (e.g. kvm_pvm); none: no usable /dev/kvm. */
export const kvmKindSchema = z.enum(['hardware', 'software', 'none']);
export type KvmKind = z.infer<typeof kvmKindSchema>;

export const hostCheckSchema = z.strictObject({
  items: z.array(checkItemSchema),
  kvmKind: kvmKindSchema,
  /** True when /dev/kvm opens and answers KVM_GET_API_VERSION (micro-guest and counters work). */
  kvmUsable: z.boolean(),
  /** The accelerator `auto` picks for Linux guests on this host. */
  linuxAccel: accelSchema,
  summary: messageKey,
  summaryParams: messageParams,
});
export type HostCheck = z.infer<typeof hostCheckSchema>;

const bilingual = z.strictObject({ id: z.string(), en: z.string() });

/** One VM exit of the micro-guest, as struct kvm_run described it. */
export const kvmExitSchema = z.strictObject({
  type: z.literal('kvm-exit'),
  ref,
  /** 1-based order of this exit in the run. */
  seq: z.int().check(z.positive()),
  /** KVM_EXIT_* name without the prefix, lowercased, e.g. `io`, `hlt`, `internal_error`. */
  reason: z.string(),
  /** The numeric `exit_reason`. */
  reasonCode: z.int().check(z.nonnegative()),
  /** Guest instruction pointer after the exit (KVM_GET_REGS). */
  rip: z.int().check(z.nonnegative()),
  io: z.optional(
    z.strictObject({
      direction: z.enum(['in', 'out']),
      size: z.int(),
      port: z.int(),
      count: z.int(),
      /** The bytes moved, as numbers. */
      data: z.array(z.int().check(z.minimum(0), z.maximum(255))),
    }),
  ),
  /** KVM_EXIT_INTERNAL_ERROR sub-error, e.g. 1 = emulation failure. */
  suberror: z.optional(z.int()),
});
export type KvmExitMessage = z.infer<typeof kvmExitSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  /** Answer to a good `hello`: protocol version and the limits this bridge enforces. */
  z.strictObject({
    type: z.literal('welcome'),
    protocol: z.int(),
    limits: z.strictObject({
      maxFrameBytes: z.int(),
      maxInputChars: z.int(),
      maxGuests: z.int(),
      maxGuestMemoryMiB: z.int(),
      guestLifetimeSeconds: z.int(),
      guestIdleSeconds: z.int(),
      messagesPerSecond: z.number(),
    }),
  }),
  z.strictObject({ type: z.literal('pong'), ref }),
  /** Something failed; `code` is a key of messages.ts, `params` fill it. */
  z.strictObject({
    type: z.literal('error'),
    ref,
    guestId: z.optional(guestId),
    code: messageKey,
    params: messageParams,
  }),
  z.strictObject({ type: z.literal('host-check-result'), ref, check: hostCheckSchema }),
  z.strictObject({
    type: z.literal('guest-list'),
    ref,
    guests: z.array(
      z.strictObject({
        id: slug,
        title: bilingual,
        memoryMiB: z.int(),
        variants: z.array(z.strictObject({ id: slug, title: bilingual })),
      }),
    ),
  }),
  /** A guest changed phase. The first one for a guest answers its `start` (same `ref`). */
  z.strictObject({
    type: z.literal('guest-state'),
    ref,
    guestId,
    guest: slug,
    variant: slug,
    accel: accelSchema,
    phase: guestPhaseSchema,
    reason: z.optional(stopReasonSchema),
    /** Milliseconds since the bridge spawned QEMU. */
    elapsedMs: z.int().check(z.nonnegative()),
  }),
  /** Serial console output, decoded as UTF-8. */
  z.strictObject({ type: z.literal('output'), guestId, data: z.string() }),
  /** A Linux boot under KVM stalled or failed; the guest is being stopped and TCG is offered. */
  z.strictObject({
    type: z.literal('kvm-boot-failed'),
    guestId,
    /** `guest-reset`: the guest reset itself (e.g. a triple fault) before its prompt. */
    cause: z.enum(['timeout', 'kvm-internal-error', 'guest-reset', 'qemu-exited']),
    /** Last lines QEMU printed on stderr, or the last console line, for the curious. */
    detail: z.string().check(z.maxLength(2000)),
    offer: z.literal('tcg'),
  }),
  /**
   * Counters from QMP `query-stats` (provider kvm). `available` is false under TCG or where the host
   * gives none; `vm` and `vcpu` hold what the host really reports (vcpu values summed over vCPUs).
   */
  z.strictObject({
    type: z.literal('stats'),
    guestId,
    available: z.boolean(),
    vm: z.record(z.string(), z.number()),
    vcpu: z.record(z.string(), z.number()),
    elapsedMs: z.int().check(z.nonnegative()),
  }),
  kvmExitSchema,
  /**
   * End of a micro-guest run: totals and timings. The counts and `elapsedMicroseconds` are of the
   * run whose exits were streamed; the cost of one exit is timed apart from it, without streaming.
   */
  z.strictObject({
    type: z.literal('hello-kvm-done'),
    ref,
    program: microProgramSchema,
    totalExits: z.int().check(z.nonnegative()),
    /** How many of the exits were also sent as `kvm-exit` (the first ones). */
    streamedExits: z.int().check(z.nonnegative()),
    exitCounts: z.record(z.string(), z.int().check(z.nonnegative())),
    /** Characters the guest wrote to the console port 0x3f8. */
    consoleText: z.string(),
    /** Wall time of the streamed run's KVM_RUN loop, streaming included. */
    elapsedMicroseconds: z.number().check(z.nonnegative()),
    /** `elapsedMicroseconds` ÷ `totalExits`: exits and streaming mixed (what version 4 called `microsecondsPerExit`). */
    streamedMicrosecondsPerExit: z.number().check(z.nonnegative()),
    /** The same program run again right after, nothing streamed: wall time of its KVM_RUN loop. */
    unstreamedElapsedMicroseconds: z.number().check(z.nonnegative()),
    /**
     * The cost of one exit: `out-loop` run unstreamed after a warm-up at the two `exitTimingCounts`,
     * (t(N2) − t(N1)) / (exits(N2) − exits(N1)), so VM set-up cancels. Null when the host was too
     * busy for the difference to be positive.
     */
    microsecondsPerExit: z.nullable(z.number().check(z.nonnegative())),
    /** 1 000 000 ÷ `microsecondsPerExit`. */
    exitsPerSecond: z.nullable(z.number().check(z.nonnegative())),
    /** (streamed − unstreamed run time) ÷ `streamedExits`: what sending one exit to the page adds. Null without streamed exits. */
    streamingMicrosecondsPerExit: z.nullable(z.number()),
    exitTimingCounts: z.tuple([z.int(), z.int()]),
    /** Name of the KVM module, for context (e.g. kvm_intel, kvm_pvm). */
    kvmModule: z.string(),
  }),
  /** Answer to `micro-run`: every timed run, the time per iteration, and the exits where there are any. */
  z.strictObject({
    type: z.literal('micro-run-result'),
    ref,
    accel: accelSchema,
    program: microProgramSchema,
    /** What ran the program: the KVM module (e.g. `kvm_pvm`) or `QEMU 7.2.22`. */
    engine: z.string().check(z.maxLength(100)),
    /**
     * What each run's time is. `kvm-run-loop`: wall time of the KVM_RUN loop, first entry to the HLT
     * exit. `vcpu-thread-runnable`: time QEMU's vCPU thread was on or waiting for a CPU from `cont`
     * until it slept in the final `hlt` (/proc/…/schedstat).
     */
    timer: z.enum(['kvm-run-loop', 'vcpu-thread-runnable']),
    /** In the order they ran. */
    runs: z
      .array(
        z.strictObject({
          /** The loop count of `out-loop`; null for `hello`. */
          iterations: z.nullable(z.int().check(z.nonnegative())),
          microseconds: z.number().check(z.nonnegative()),
          /** VM exits of this run (KVM); null under TCG, where there are none: every instruction is emulated. */
          exits: z.nullable(z.int().check(z.nonnegative())),
        }),
      )
      .check(z.maxLength(2 * MAX_MICRO_REPEATS)),
    /** (t(N2) − t(N1)) / (N2 − N1) from the fastest run of each count, nanoseconds; null for `hello`. */
    nsPerIteration: z.nullable(z.number()),
    /** What the program wrote to COM1 (0x3f8) in its last run. */
    consoleText: z.string().check(z.maxLength(256)),
    /** Exits of the last run by reason, with µs per exit (KVM only; null under TCG). */
    exits: z.nullable(
      z.strictObject({
        total: z.int().check(z.nonnegative()),
        counts: z.record(z.string(), z.int().check(z.nonnegative())),
        microsecondsPerExit: z.number().check(z.nonnegative()),
      }),
    ),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** Close codes the bridge uses (RFC 6455). */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  tooBig: 1009,
} as const;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; detail: string };

/** Parses one text frame from a client; never throws. */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parseWith(clientMessageSchema, text);
}

/** Parses one text frame from the bridge; never throws (used by the client and tests). */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parseWith(serverMessageSchema, text);
}

function parseWith<T>(schema: z.ZodMiniType<T>, text: string): ParseResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'not JSON' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, message: result.data };
  // The first issue is enough for a learner-facing message and keeps errors short.
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, detail: `${where}${issue?.message ?? 'invalid'}`.slice(0, 300) };
}
