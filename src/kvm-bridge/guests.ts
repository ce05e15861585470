/**
 * Running guests: each one holds its lifecycle state (lifecycle.ts decides), its QEMU (qemu.ts
 * starts it) and its timers, and carries out the effects the transition function returns. The
 * registry enforces the bridge-wide guest limit and kills everything on shutdown.
 */
import type { BridgeMachine } from '../schemas/bridge-machine.ts';
import { holdsSlot, transition, type Effect, type GuestEvent, type GuestState, type ReportedError } from './lifecycle.ts';
import type { BridgeLimits } from './limits.ts';
import type { MessageParams } from '../protocol/texts.ts';
import type { Accel, ServerMessage } from '../protocol/schema.ts';
import { isKvmFault } from './qemu-args.ts';
import { launchQemu, QemuLaunchError, type ResolvedLaunch, type RunningQemu } from './qemu.ts';
import { statsSnapshot } from './stats.ts';

/** The connection a guest belongs to: where its messages go. The guest dies when it goes. */
export interface GuestOwner {
  send(message: ServerMessage): void;
  /** True while the client has not yet read a lot of what was sent (the console then pauses). */
  isBackedUp(): boolean;
}

/** Console output kept for prompt matching and error reports. */
const CONSOLE_TAIL_CHARS = 4096;

export class Guest {
  readonly id: string;
  readonly lab: BridgeMachine;
  readonly variantId: string;
  readonly accel: Accel;
  private state: GuestState = { phase: 'none' };
  private qemu: RunningQemu | undefined;
  private killWhenLaunched = false;
  private readonly owner: GuestOwner;
  private readonly limits: BridgeLimits;
  private readonly launch: ResolvedLaunch;
  private readonly released: () => void;
  private readonly startedAt = Date.now();
  private readonly prompt: RegExp;
  private readonly decoder = new TextDecoder('utf-8');
  private consoleTail = '';
  private pendingInput: Buffer | undefined;
  private statsIntervalMs = 0;
  private startRef: string | undefined;
  private timers: NodeJS.Timeout[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private backpressureTimer: NodeJS.Timeout | undefined;
  /** The client asked to stop reading the console (`console-flow`), until it asks again. */
  private clientPausedConsole = false;
  /** Resolves when the guest has exited and released everything. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(id: string, launch: ResolvedLaunch, owner: GuestOwner, limits: BridgeLimits, released: () => void) {
    this.id = id;
    this.lab = launch.lab;
    this.variantId = launch.variantId;
    this.accel = launch.accel;
    this.launch = launch;
    this.owner = owner;
    this.limits = limits;
    this.released = released;
    this.prompt = new RegExp(launch.lab.guest.prompt);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get holdsSlot(): boolean {
    return holdsSlot(this.state);
  }

  start(ref: string | undefined): void {
    this.startRef = ref;
    this.apply({ type: 'start', accel: this.accel });
  }

  /**
   * Applies a client's event; returns an error message to send when the lifecycle refuses it, or
   * when input would pass the console's write queue limit.
   */
  clientEvent(event: GuestEvent, input?: string, statsIntervalMs?: number): ServerMessage | null {
    if (event.type === 'input' && input !== undefined) {
      const bytes = Buffer.from(input, 'utf8');
      // A guest that stopped reading its UART (halted, hung) leaves the console socket full and
      // Node would queue every further write: refuse instead. Refused input does not count as activity.
      const queued = this.qemu?.console.writableLength ?? 0;
      if (queued + bytes.length > this.limits.maxConsoleInputBytes) {
        return {
          type: 'error',
          guestId: this.id,
          code: 'guest-input-full',
          params: { maxBytes: this.limits.maxConsoleInputBytes },
        };
      }
      this.pendingInput = bytes;
    }
    if (event.type === 'watch-stats' && statsIntervalMs !== undefined) this.statsIntervalMs = statsIntervalMs;
    if (event.type === 'console-flow') this.clientPausedConsole = event.paused;
    const result = this.apply(event);
    if (result) return null;
    return {
      type: 'error',
      guestId: this.id,
      code: 'invalid-transition',
      params: { action: event.type, phase: this.state.phase },
    };
  }

  /** Runs the transition and its effects; false when the lifecycle refused the event. */
  private apply(event: GuestEvent): boolean {
    const result = transition(this.state, event);
    if (!result.ok) return false;
    this.state = result.next;
    for (const effect of result.effects) this.run(effect);
    if (event.type === 'input' || event.type === 'start') this.resetIdleTimer();
    return true;
  }

  private run(effect: Effect): void {
    switch (effect.kind) {
      case 'spawn':
        this.spawn();
        return;
      case 'kill':
        this.clearStats();
        if (this.qemu) void this.qemu.kill();
        else this.killWhenLaunched = true;
        return;
      case 'forward-input':
        if (this.pendingInput) this.qemu?.console.write(this.pendingInput);
        this.pendingInput = undefined;
        return;
      case 'configure-stats':
        this.configureStats();
        return;
      case 'configure-flow':
        this.configureFlow();
        return;
      case 'notify-phase':
        this.notifyPhase();
        return;
      case 'report-kvm-boot-failure':
        this.owner.send({
          type: 'kvm-boot-failed',
          guestId: this.id,
          cause: effect.cause,
          detail: effect.detail.slice(-2000),
          offer: 'tcg',
        });
        return;
      case 'report-error':
        this.owner.send({
          type: 'error',
          guestId: this.id,
          code: effect.code,
          params: this.errorParams(effect.code, effect.detail),
        });
        return;
      case 'release':
        for (const timer of this.timers) clearTimeout(timer);
        clearTimeout(this.idleTimer);
        clearTimeout(this.backpressureTimer);
        this.clearStats();
        this.released();
        this.resolveDone();
        return;
    }
  }

  private errorParams(code: ReportedError, detail: string): MessageParams {
    switch (code) {
      case 'boot-timeout':
        return { seconds: this.bootSeconds() };
      case 'guest-idle-timeout':
        return { seconds: this.limits.guestIdleSeconds };
      case 'guest-lifetime-expired':
        return { seconds: this.limits.guestLifetimeSeconds };
      case 'kvm-not-a-kvm-device':
        return { path: '/dev/kvm' };
      default:
        return { detail: lastLines(detail, 3).slice(-500) };
    }
  }

  /** The lab's boot timeout; under KVM capped by the bridge's `--kvm-boot-timeout`. */
  private bootSeconds(): number {
    const lab = this.lab.guest.bootTimeoutSeconds[this.accel];
    return this.accel === 'kvm' ? Math.min(lab, this.limits.kvmBootTimeoutSeconds) : lab;
  }

  private notifyPhase(): void {
    if (this.state.phase === 'none') return;
    const message: ServerMessage = {
      type: 'guest-state',
      guestId: this.id,
      guest: this.lab.id,
      variant: this.variantId,
      accel: this.accel,
      phase: this.state.phase,
      elapsedMs: Date.now() - this.startedAt,
    };
    // The first state answers the client's `start`.
    if (this.startRef !== undefined) {
      message.ref = this.startRef;
      this.startRef = undefined;
    }
    if (this.state.phase === 'stopping' || this.state.phase === 'exited') message.reason = this.state.reason;
    this.owner.send(message);
  }

  private spawn(): void {
    const bootSeconds = this.bootSeconds();
    this.timers.push(
      setTimeout(
        () => this.apply({ type: 'boot-timeout', seconds: bootSeconds, lastOutput: lastLines(this.consoleTail, 2) || '(none)' }),
        bootSeconds * 1000,
      ),
      setTimeout(() => this.apply({ type: 'stop', cause: 'lifetime-expired' }), this.limits.guestLifetimeSeconds * 1000),
    );
    launchQemu(this.launch).then(
      (qemu) => this.launched(qemu),
      (error: unknown) => {
        const exit = error instanceof QemuLaunchError ? error.exit : null;
        this.apply({
          type: 'exited',
          failure: exit?.failure ?? 'qemu-failed',
          guestReset: false,
          detail: exit?.stderrTail ?? String(error),
        });
      },
    );
  }

  private launched(qemu: RunningQemu): void {
    this.qemu = qemu;
    let guestReset = false;
    qemu.qmp.onEvent((event) => {
      if (event.event === 'SHUTDOWN' && (event.data as { reason?: string } | undefined)?.reason === 'guest-reset')
        guestReset = true;
    });
    void qemu.exited.then((exit) =>
      this.apply({
        type: 'exited',
        failure: exit.failure,
        guestReset,
        detail: lastLines(exit.stderrTail, 5) || lastLines(this.consoleTail, 3),
      }),
    );
    if (this.killWhenLaunched) {
      void qemu.kill();
      return;
    }
    qemu.console.on('data', (chunk: Buffer) => this.onConsole(chunk));
    this.configureFlow();
    qemu.onStderr((text) => {
      if (this.accel === 'kvm' && isKvmFault(text)) this.apply({ type: 'kvm-fault', detail: qemu.stderrTail() });
    });
    qemu.resume().then(
      () => this.apply({ type: 'launched' }),
      () => undefined, // QEMU died between QMP and `cont`; `exited` reports it
    );
  }

  private onConsole(chunk: Buffer): void {
    const text = this.decoder.decode(chunk, { stream: true });
    if (text) this.owner.send({ type: 'output', guestId: this.id, data: text });
    this.consoleTail = (this.consoleTail + text).slice(-CONSOLE_TAIL_CHARS);
    if (this.state.phase === 'booting' && this.prompt.test(this.consoleTail)) {
      clearTimeout(this.timers[0]); // the boot timer
      this.apply({ type: 'prompt-seen' });
    }
    // Backpressure: stop reading the console (QEMU's serial then stalls the guest) until the client catches up.
    if (this.owner.isBackedUp() && this.qemu && !this.backpressureTimer) {
      const socket = this.qemu.console;
      socket.pause();
      const check = (): void => {
        if (this.owner.isBackedUp()) this.backpressureTimer = setTimeout(check, 20);
        else {
          this.backpressureTimer = undefined;
          // The client may still be holding the console back itself (`console-flow`).
          if (!this.clientPausedConsole) socket.resume();
        }
      };
      this.backpressureTimer = setTimeout(check, 20);
    }
  }

  /**
   * Applies the client's `console-flow`: a page whose terminal is behind asks to pause. The socket
   * buffers fill, QEMU's serial port stops accepting bytes and the guest waits: no output is lost.
   */
  private configureFlow(): void {
    const socket = this.qemu?.console;
    if (!socket) return; // not attached yet: launched() applies the flag
    if (this.clientPausedConsole) socket.pause();
    else if (!this.backpressureTimer) socket.resume();
  }

  private resetIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.apply({ type: 'stop', cause: 'idle-timeout' }), this.limits.guestIdleSeconds * 1000);
  }

  private configureStats(): void {
    this.clearStats();
    if (this.statsIntervalMs === 0) return;
    const sample = async (): Promise<void> => {
      const qmp = this.qemu?.qmp;
      if (!qmp) return;
      try {
        const [vm, vcpu] = await Promise.all([
          qmp.execute('query-stats', { target: 'vm' }),
          qmp.execute('query-stats', { target: 'vcpu' }),
        ]);
        const snapshot = statsSnapshot(vm, vcpu);
        this.owner.send({ type: 'stats', guestId: this.id, ...snapshot, elapsedMs: Date.now() - this.startedAt });
      } catch {
        // QEMU is going away; the lifecycle reports that.
      }
    };
    void sample();
    this.statsTimer = setInterval(() => void sample(), this.statsIntervalMs);
  }

  private clearStats(): void {
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  /** Kill for a reason of the bridge's own (client gone, shutdown); resolves when released. */
  async stop(cause: 'client-gone' | 'bridge-shutdown'): Promise<void> {
    this.apply({ type: 'stop', cause });
    await this.done;
  }
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
