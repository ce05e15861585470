/**
 * The KVM bridge's WebSocket protocol, defined once for the server and the browser client.
 * No Node imports. Every frame is one JSON object; every object is checked here, `.strict()`, so
 * unknown fields are an error. PROTOCOL.md describes the same messages for readers; bump
 * {@link PROTOCOL_VERSION} and record the change there whenever a schema here changes.
 */
import { z } from 'zod';
import { MESSAGE_KEYS } from './messages.ts';

/** Version 1: first published protocol. */
export const PROTOCOL_VERSION = 1;

/** WebSocket path on the bridge's HTTP server. */
export const WS_PATH = '/ws';

/** Largest frame either side may send, in bytes. Larger frames close the connection (1009). */
export const MAX_FRAME_BYTES = 64 * 1024;

/** Largest `input.data`, in UTF-16 code units: a pasted command, not a file upload. */
export const MAX_INPUT_CHARS = 4096;

/** Largest number of iterations of the `out-loop` micro-guest program. */
export const MAX_MICRO_ITERATIONS = 1_000_000;

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(64);
/** Optional client-chosen tag echoed in the replies to that message. */
const ref = z.string().min(1).max(64).optional();
/** A guest handle issued by the bridge in `guest-state`, e.g. `g1`. */
const guestId = z.string().regex(/^g\d{1,9}$/);
const messageKey = z.enum(MESSAGE_KEYS);
const messageParams = z.record(z.string().max(40), z.union([z.string().max(500), z.number()]));

/** How QEMU should run a guest: `auto` picks hardware KVM when the host has it, else TCG. */
export const ACCEL_CHOICES = ['auto', 'kvm', 'tcg'] as const;
export const accelChoiceSchema = z.enum(ACCEL_CHOICES);
export type AccelChoice = z.infer<typeof accelChoiceSchema>;
export const accelSchema = z.enum(['kvm', 'tcg']);
export type Accel = z.infer<typeof accelSchema>;

/** Fixed micro-guest programs run through the raw KVM API (see micro-programs.ts). */
export const MICRO_PROGRAMS = ['hello', 'out-loop'] as const;
export const microProgramSchema = z.enum(MICRO_PROGRAMS);
export type MicroProgramName = z.infer<typeof microProgramSchema>;

// ---------------------------------------------------------------- client → bridge

/** Must be the first frame. Anything else first closes the connection (1008). */
export const helloSchema = z
  .object({
    type: z.literal('hello'),
    /** The client's protocol version; must equal the bridge's. */
    protocol: z.number().int().positive(),
    /** The token from the URL the bridge printed at start. */
    token: z.string().min(1).max(256),
  })
  .strict();

export const clientMessageSchema = z.discriminatedUnion('type', [
  helloSchema,
  /** Liveness check; answered with `pong`. Valid any time after `hello`. */
  z.object({ type: z.literal('ping'), ref }).strict(),
  /** Asks for the host checklist (`host-check-result`). */
  z.object({ type: z.literal('host-check'), ref }).strict(),
  /** Asks for the guests this bridge can start (`guest-list`). */
  z.object({ type: z.literal('list-guests'), ref }).strict(),
  /** Starts a guest by name and variant; answered with `guest-state` (phase `launching`) or `error`. */
  z
    .object({
      type: z.literal('start'),
      ref,
      /** A lab id from the bridge's lab definitions, e.g. `linux-guest`. */
      guest: slug,
      /** A variant of that guest, e.g. `emulated` or `virtio`. */
      variant: slug,
      /** Accelerator; default `auto`. */
      accel: accelChoiceSchema.default('auto'),
    })
    .strict(),
  /** Keystrokes or pasted text for the guest's serial console. Valid while `booting` or `running`. */
  z
    .object({ type: z.literal('input'), guestId, data: z.string().min(1).max(MAX_INPUT_CHARS) })
    .strict(),
  /** Stops (kills) a guest. Valid in any phase before `exited`. */
  z.object({ type: z.literal('stop'), ref, guestId }).strict(),
  /**
   * Streams QMP `query-stats` counters of a guest every `intervalMs` (250–10000); 0 stops the stream.
   * Valid while `booting` or `running`.
   */
  z
    .object({
      type: z.literal('watch-stats'),
      guestId,
      intervalMs: z.union([z.literal(0), z.number().int().min(250).max(10_000)]),
    })
    .strict(),
  /** Runs a micro-guest directly through the KVM API; exits stream as `kvm-exit`, then `hello-kvm-done`. */
  z
    .object({
      type: z.literal('hello-kvm'),
      ref,
      program: microProgramSchema,
      /** Loop count of `out-loop` (ignored by `hello`). Default 1000. */
      iterations: z.number().int().min(1).max(MAX_MICRO_ITERATIONS).default(1000),
    })
    .strict(),
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
export const checkItemSchema = z
  .object({
    id: z.enum(['cpu', 'kvm-device', 'kvm-module', 'nested', 'qemu', 'libvirt']),
    status: z.enum(CHECK_STATUSES),
    message: messageKey,
    params: messageParams,
    fixes: z.array(messageKey),
  })
  .strict();
export type CheckItem = z.infer<typeof checkItemSchema>;

/** hardware: kvm_intel/kvm_amd; software: another KVM module (e.g. kvm_pvm); none: no usable /dev/kvm. */
export const kvmKindSchema = z.enum(['hardware', 'software', 'none']);
export type KvmKind = z.infer<typeof kvmKindSchema>;

export const hostCheckSchema = z
  .object({
    items: z.array(checkItemSchema),
    kvmKind: kvmKindSchema,
    /** True when /dev/kvm opens and answers KVM_GET_API_VERSION (micro-guest and counters work). */
    kvmUsable: z.boolean(),
    /** The accelerator `auto` picks for Linux guests on this host. */
    linuxAccel: accelSchema,
    summary: messageKey,
    summaryParams: messageParams,
  })
  .strict();
export type HostCheck = z.infer<typeof hostCheckSchema>;

const bilingual = z.object({ id: z.string(), en: z.string() }).strict();

/** One VM exit of the micro-guest, as struct kvm_run described it. */
export const kvmExitSchema = z
  .object({
    type: z.literal('kvm-exit'),
    ref,
    /** 1-based order of this exit in the run. */
    seq: z.number().int().positive(),
    /** KVM_EXIT_* name without the prefix, lowercased, e.g. `io`, `hlt`, `internal_error`. */
    reason: z.string(),
    /** The numeric `exit_reason`. */
    reasonCode: z.number().int().nonnegative(),
    /** Guest instruction pointer after the exit (KVM_GET_REGS). */
    rip: z.number().int().nonnegative(),
    io: z
      .object({
        direction: z.enum(['in', 'out']),
        size: z.number().int(),
        port: z.number().int(),
        count: z.number().int(),
        /** The bytes moved, as numbers. */
        data: z.array(z.number().int().min(0).max(255)),
      })
      .strict()
      .optional(),
    /** KVM_EXIT_INTERNAL_ERROR sub-error, e.g. 1 = emulation failure. */
    suberror: z.number().int().optional(),
  })
  .strict();
export type KvmExitMessage = z.infer<typeof kvmExitSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  /** Answer to a good `hello`: protocol version and the limits this bridge enforces. */
  z
    .object({
      type: z.literal('welcome'),
      protocol: z.number().int(),
      limits: z
        .object({
          maxFrameBytes: z.number().int(),
          maxInputChars: z.number().int(),
          maxGuests: z.number().int(),
          maxGuestMemoryMiB: z.number().int(),
          guestLifetimeSeconds: z.number().int(),
          guestIdleSeconds: z.number().int(),
          messagesPerSecond: z.number(),
        })
        .strict(),
    })
    .strict(),
  z.object({ type: z.literal('pong'), ref }).strict(),
  /** Something failed; `code` is a key of messages.ts, `params` fill it. */
  z
    .object({
      type: z.literal('error'),
      ref,
      guestId: guestId.optional(),
      code: messageKey,
      params: messageParams,
    })
    .strict(),
  z.object({ type: z.literal('host-check-result'), ref, check: hostCheckSchema }).strict(),
  z
    .object({
      type: z.literal('guest-list'),
      ref,
      guests: z.array(
        z
          .object({
            id: slug,
            title: bilingual,
            memoryMiB: z.number().int(),
            variants: z.array(z.object({ id: slug, title: bilingual }).strict()),
          })
          .strict(),
      ),
    })
    .strict(),
  /** A guest changed phase. The first one for a guest answers its `start` (same `ref`). */
  z
    .object({
      type: z.literal('guest-state'),
      ref,
      guestId,
      guest: slug,
      variant: slug,
      accel: accelSchema,
      phase: guestPhaseSchema,
      reason: stopReasonSchema.optional(),
      /** Milliseconds since the bridge spawned QEMU. */
      elapsedMs: z.number().int().nonnegative(),
    })
    .strict(),
  /** Serial console output, decoded as UTF-8. */
  z.object({ type: z.literal('output'), guestId, data: z.string() }).strict(),
  /** A Linux boot under KVM stalled or failed; the guest is being stopped and TCG is offered. */
  z
    .object({
      type: z.literal('kvm-boot-failed'),
      guestId,
      /** `guest-reset`: the guest reset itself (e.g. a triple fault) before its prompt. */
      cause: z.enum(['timeout', 'kvm-internal-error', 'guest-reset', 'qemu-exited']),
      /** Last lines QEMU printed on stderr, or the last console line, for the curious. */
      detail: z.string().max(2000),
      offer: z.literal('tcg'),
    })
    .strict(),
  /**
   * Counters from QMP `query-stats` (provider kvm). `available` is false under TCG or where the host
   * gives none; `vm` and `vcpu` hold what the host really reports (vcpu values summed over vCPUs).
   */
  z
    .object({
      type: z.literal('stats'),
      guestId,
      available: z.boolean(),
      vm: z.record(z.string(), z.number()),
      vcpu: z.record(z.string(), z.number()),
      elapsedMs: z.number().int().nonnegative(),
    })
    .strict(),
  kvmExitSchema,
  /** End of a micro-guest run: totals and timings. */
  z
    .object({
      type: z.literal('hello-kvm-done'),
      ref,
      program: microProgramSchema,
      totalExits: z.number().int().nonnegative(),
      /** How many of the exits were also sent as `kvm-exit` (the first ones). */
      streamedExits: z.number().int().nonnegative(),
      exitCounts: z.record(z.string(), z.number().int().nonnegative()),
      /** Characters the guest wrote to the console port 0x3f8. */
      consoleText: z.string(),
      elapsedMicroseconds: z.number().nonnegative(),
      microsecondsPerExit: z.number().nonnegative(),
      exitsPerSecond: z.number().nonnegative(),
      /** Name of the KVM module, for context (e.g. kvm_intel, kvm_pvm). */
      kvmModule: z.string(),
    })
    .strict(),
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

function parseWith<T>(schema: z.ZodType<T>, text: string): ParseResult<T> {
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
