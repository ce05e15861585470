/**
 * The protocol's plain constants, apart from the zod schemas in protocol.ts so that a page can read
 * them (e.g. to check a pasted bridge URL) without loading zod. protocol.ts re-exports them all;
 * import from there unless the bundle size matters. No Node imports.
 */

/**
 * Version 1: first published protocol. Version 2: `console-flow` (client-driven backpressure).
 * Version 3: `micro-run` / `micro-run-result` (a micro-program timed under KVM or QEMU TCG).
 * Version 4: error codes `message-too-deep`, `client-not-reading`, `guest-input-full`,
 * `micro-run-too-long` (bounds against a hostile or stuck client or guest).
 * Version 5: micro-programs `compute` and `memory`; every workload reports its count and checksum on
 * the console; `micro-run` counts default per program; `hello-kvm-done` times exits unstreamed
 * (`microsecondsPerExit`) apart from the streamed run (`streamedMicrosecondsPerExit`).
 */
export const PROTOCOL_VERSION = 5;

/** WebSocket path on the bridge's HTTP server. */
export const WS_PATH = '/ws';

/** Largest frame either side may send, in bytes. Larger frames close the connection (1009). */
export const MAX_FRAME_BYTES = 64 * 1024;

/** Largest `input.data`, in UTF-16 code units: a pasted command, not a file upload. */
export const MAX_INPUT_CHARS = 4096;

/** Largest loop count of a micro-guest workload (`out-loop`, `compute`). */
export const MAX_MICRO_ITERATIONS = 1_000_000;

/**
 * Largest loop count of `memory`: one fresh 4 KiB page per iteration, from 64 KiB up to the end of
 * real mode's conventional memory at 640 KiB (0xA0000), so 144 pages.
 */
export const MAX_MICRO_PAGES = 144;

/** Most runs per loop count a `micro-run` may ask for. */
export const MAX_MICRO_REPEATS = 5;
