/**
 * The life of one QEMU guest as a pure transition function: every rule about what may happen in
 * which phase lives here, and guests.ts only carries out the returned effects.
 *
 *   (none) --start--> launching --launched--> booting --prompt--> running
 *   launching/booting/running --stop|idle|lifetime|client-gone|shutdown--> stopping --exited--> exited
 *   booting --boot-timeout|kvm-fault--> stopping (KVM: report and offer TCG)
 *   any live phase --exited--> exited (QEMU died on its own)
 */
import type { Accel, GuestPhase, StopReason } from '../protocol/schema.ts';
import type { QemuFailureCode } from './qemu-args.ts';

export type GuestState =
  | { phase: 'none' }
  | { phase: 'launching' | 'booting' | 'running'; accel: Accel }
  | { phase: 'stopping'; accel: Accel; reason: StopReason }
  | { phase: 'exited'; accel: Accel; reason: StopReason };

/** Why the bridge wants a guest gone (the client's `stop` or one of the bridge's own limits). */
export type StopCause = 'client-stop' | 'client-gone' | 'idle-timeout' | 'lifetime-expired' | 'bridge-shutdown';

export type GuestEvent =
  | { type: 'start'; accel: Accel }
  /** QMP answered, the console is attached and the vCPUs run. */
  | { type: 'launched' }
  /** The console output ends with the lab's prompt. */
  | { type: 'prompt-seen' }
  | { type: 'boot-timeout'; seconds: number; lastOutput: string }
  /** QEMU reported a KVM failure on stderr (e.g. "KVM internal error", an MSR assertion). */
  | { type: 'kvm-fault'; detail: string }
  | { type: 'stop'; cause: StopCause }
  | { type: 'input' }
  | { type: 'watch-stats' }
  /** The client asks to pause (`paused: true`) or resume reading the console (protocol `console-flow`). */
  | { type: 'console-flow'; paused: boolean }
  /**
   * The QEMU process ended. `failure` is null when it ended cleanly or because the bridge killed it,
   * else what its stderr says went wrong. `guestReset` is true when QMP reported a SHUTDOWN with
   * reason `guest-reset` (with -no-reboot a reset, e.g. a triple fault, ends QEMU with status 0).
   */
  | { type: 'exited'; failure: QemuFailureCode | null; guestReset: boolean; detail: string };

export type Effect =
  | { kind: 'spawn'; accel: Accel }
  | { kind: 'kill' }
  | { kind: 'forward-input' }
  | { kind: 'configure-stats' }
  /** Pause or resume reading the console as the client asked. */
  | { kind: 'configure-flow' }
  /** Tell the client the new phase (with the state's reason, if any). */
  | { kind: 'notify-phase' }
  | { kind: 'report-kvm-boot-failure'; cause: 'timeout' | 'kvm-internal-error' | 'guest-reset' | 'qemu-exited'; detail: string }
  | { kind: 'report-error'; code: ReportedError; detail: string }
  /** Remove the private directory, close sockets, free the guest slot. */
  | { kind: 'release' };

export type ReportedError =
  | 'boot-timeout'
  | 'qemu-failed'
  | 'guest-idle-timeout'
  | 'guest-lifetime-expired'
  | 'kvm-missing'
  | 'kvm-permission-denied'
  | 'kvm-not-a-kvm-device';

export type TransitionResult =
  | { ok: true; next: GuestState; effects: Effect[] }
  | { ok: false; error: 'invalid-transition'; phase: GuestState['phase']; action: GuestEvent['type'] };

export function transition(state: GuestState, event: GuestEvent): TransitionResult {
  const refuse = (): TransitionResult => ({ ok: false, error: 'invalid-transition', phase: state.phase, action: event.type });
  const ok = (next: GuestState, effects: Effect[]): TransitionResult => ({ ok: true, next, effects });

  switch (event.type) {
    case 'start':
      if (state.phase !== 'none') return refuse();
      return ok({ phase: 'launching', accel: event.accel }, [{ kind: 'spawn', accel: event.accel }, { kind: 'notify-phase' }]);

    case 'launched':
      if (state.phase !== 'launching') return refuse();
      return ok({ phase: 'booting', accel: state.accel }, [{ kind: 'notify-phase' }]);

    case 'prompt-seen':
      if (state.phase !== 'booting') return refuse();
      return ok({ phase: 'running', accel: state.accel }, [{ kind: 'notify-phase' }]);

    case 'boot-timeout':
      if (state.phase !== 'booting' && state.phase !== 'launching') return refuse();
      if (state.accel === 'kvm') {
        return ok({ phase: 'stopping', accel: 'kvm', reason: 'kvm-boot-failed' }, [
          { kind: 'report-kvm-boot-failure', cause: 'timeout', detail: `no prompt within ${event.seconds} s; last console output: ${event.lastOutput}` },
          { kind: 'kill' },
          { kind: 'notify-phase' },
        ]);
      }
      return ok({ phase: 'stopping', accel: 'tcg', reason: 'boot-timeout' }, [
        { kind: 'report-error', code: 'boot-timeout', detail: String(event.seconds) },
        { kind: 'kill' },
        { kind: 'notify-phase' },
      ]);

    case 'kvm-fault':
      // Only a KVM guest can fault in KVM; after `running` the guest booted fine, so a fault is a crash.
      if (state.phase === 'none' || state.phase === 'stopping' || state.phase === 'exited' || state.accel !== 'kvm') return refuse();
      if (state.phase === 'running') {
        return ok({ phase: 'stopping', accel: 'kvm', reason: 'qemu-failed' }, [
          { kind: 'report-error', code: 'qemu-failed', detail: event.detail },
          { kind: 'kill' },
          { kind: 'notify-phase' },
        ]);
      }
      return ok({ phase: 'stopping', accel: 'kvm', reason: 'kvm-boot-failed' }, [
        { kind: 'report-kvm-boot-failure', cause: 'kvm-internal-error', detail: event.detail },
        { kind: 'kill' },
        { kind: 'notify-phase' },
      ]);

    case 'stop': {
      if (state.phase !== 'launching' && state.phase !== 'booting' && state.phase !== 'running') return refuse();
      const effects: Effect[] = [];
      if (event.cause === 'idle-timeout') effects.push({ kind: 'report-error', code: 'guest-idle-timeout', detail: '' });
      if (event.cause === 'lifetime-expired') effects.push({ kind: 'report-error', code: 'guest-lifetime-expired', detail: '' });
      effects.push({ kind: 'kill' }, { kind: 'notify-phase' });
      return ok({ phase: 'stopping', accel: state.accel, reason: event.cause }, effects);
    }

    case 'input':
      if (state.phase !== 'booting' && state.phase !== 'running') return refuse();
      return ok(state, [{ kind: 'forward-input' }]);

    case 'watch-stats':
      if (state.phase !== 'booting' && state.phase !== 'running') return refuse();
      return ok(state, [{ kind: 'configure-stats' }]);

    case 'console-flow':
      // From `launching` on: a page may already hold back before the first byte arrives.
      if (state.phase !== 'launching' && state.phase !== 'booting' && state.phase !== 'running') return refuse();
      return ok(state, [{ kind: 'configure-flow' }]);

    case 'exited': {
      if (state.phase === 'none' || state.phase === 'exited') return refuse();
      if (state.phase === 'stopping') return ok({ phase: 'exited', accel: state.accel, reason: state.reason }, [{ kind: 'release' }, { kind: 'notify-phase' }]);
      const { failure } = event;
      // QEMU ended by itself. Before the prompt that is a failed boot, even with exit status 0.
      const beforePrompt = state.phase !== 'running';
      if (state.accel === 'kvm' && beforePrompt) {
        const effects: Effect[] = [];
        // Without access to KVM at all, the typed cause matters more than the boot story.
        if (failure === 'kvm-missing' || failure === 'kvm-permission-denied' || failure === 'kvm-not-a-kvm-device') {
          effects.push({ kind: 'report-error', code: failure, detail: event.detail });
        }
        const cause = failure === 'kvm-internal-error' ? 'kvm-internal-error' : event.guestReset ? 'guest-reset' : 'qemu-exited';
        const detail = cause === 'guest-reset' ? `the guest reset itself before its prompt (a triple fault?)${event.detail ? `; QEMU: ${event.detail}` : ''}` : event.detail;
        effects.push({ kind: 'report-kvm-boot-failure', cause, detail }, { kind: 'release' }, { kind: 'notify-phase' });
        return ok({ phase: 'exited', accel: 'kvm', reason: 'kvm-boot-failed' }, effects);
      }
      if (failure !== null || beforePrompt) {
        const detail = failure !== null || event.detail ? event.detail : event.guestReset ? 'guest reset before its prompt' : 'QEMU exited before the prompt';
        return ok({ phase: 'exited', accel: state.accel, reason: 'qemu-failed' }, [
          { kind: 'report-error', code: 'qemu-failed', detail },
          { kind: 'release' },
          { kind: 'notify-phase' },
        ]);
      }
      // After the prompt: the learner powered off or rebooted the guest (-no-reboot ends QEMU).
      return ok({ phase: 'exited', accel: state.accel, reason: 'qemu-exited' }, [{ kind: 'release' }, { kind: 'notify-phase' }]);
    }
  }
}

/** The phase as the protocol names it (`none` is never sent: a guest exists from `launching`). */
export function protocolPhase(state: GuestState): GuestPhase | null {
  return state.phase === 'none' ? null : state.phase;
}

/** Whether the guest still holds a slot (counts against the concurrent-guest limit). */
export function holdsSlot(state: GuestState): boolean {
  return state.phase !== 'none' && state.phase !== 'exited';
}
