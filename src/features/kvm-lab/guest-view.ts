/**
 * The guest starter's state, from the bridge guest's events (BridgeVmBackend.onGuestEvent), as a
 * pure reducer, and the status line it shows. The component only stores the view and renders it.
 */
import type { KvmLabText } from './strings';
import { formatNumber } from '../../i18n/format';
import { fill } from '../../i18n/fill';
import { formatMessage, type MessageKey, type MessageParams } from '../../protocol/texts';
import type { Accel, GuestPhase, StopReason } from '../../protocol/schema';
import type { Locale } from '../../i18n/locale';
import type { KvmBootFailed } from '../../protocol/client';
import type { BridgeGuestEvent } from './guest-backend';

export interface GuestView {
  /** `idle`: nothing started yet; `starting`: `start` sent, no answer yet. */
  phase: 'idle' | 'starting' | GuestPhase;
  accel: Accel | null;
  /** Milliseconds from QEMU's start to the prompt, once running. */
  promptAfterMs: number | null;
  reason: StopReason | null;
  /** A failed KVM boot, with the bridge's offer of TCG. */
  bootFailure: Pick<KvmBootFailed, 'cause' | 'detail'> | null;
  /** The last error the bridge reported for this guest. */
  error: { key: MessageKey; params: MessageParams } | null;
}

export const IDLE_GUEST: GuestView = {
  phase: 'idle',
  accel: null,
  promptAfterMs: null,
  reason: null,
  bootFailure: null,
  error: null,
};

/** The view right after the learner pressed Start: the previous guest's story is cleared. */
export const STARTING_GUEST: GuestView = { ...IDLE_GUEST, phase: 'starting' };

/**
 * @example reduceGuestView(STARTING_GUEST, { kind: 'phase', phase: 'running', accel: 'tcg', elapsedMs: 1200, reason: undefined })
 *   // → { phase: 'running', accel: 'tcg', promptAfterMs: 1200, … }
 */
export function reduceGuestView(view: GuestView, event: BridgeGuestEvent): GuestView {
  switch (event.kind) {
    case 'phase':
      return {
        ...view,
        phase: event.phase,
        accel: event.accel,
        promptAfterMs: event.phase === 'running' ? event.elapsedMs : view.promptAfterMs,
        reason: event.reason ?? view.reason,
      };
    case 'kvm-boot-failed':
      return { ...view, bootFailure: { cause: event.failure.cause, detail: event.failure.detail } };
    case 'error':
      return { ...view, error: { key: event.key, params: event.params } };
    case 'stats':
      return view;
  }
}

/** Whether a guest exists on the bridge (Stop makes sense, Start would replace it). */
export function guestIsLive(view: GuestView): boolean {
  return view.phase === 'starting' || view.phase === 'launching' || view.phase === 'booting' || view.phase === 'running';
}

/** The accelerator's name as the learner reads it. */
const accelName = (accel: Accel | null): string => (accel === 'kvm' ? 'KVM' : accel === 'tcg' ? 'TCG' : '?');

/**
 * The one-line status of the guest.
 * @example guestStatusText({ ...IDLE_GUEST, phase: 'running', accel: 'tcg', promptAfterMs: 1171 }, text, 'en')
 *   // → 'Running with TCG (prompt after 1.2 seconds). Type commands in the terminal.'
 */
export function guestStatusText(view: GuestView, text: KvmLabText, locale: Locale): string {
  const accel = accelName(view.accel);
  switch (view.phase) {
    case 'idle':
      return '';
    case 'starting':
      return text['kvm.phase.starting'];
    case 'launching':
    case 'booting':
      return fill(text[`kvm.phase.${view.phase}`], { accel });
    case 'running':
      return fill(text['kvm.phase.running'], {
        accel,
        seconds: formatNumber((view.promptAfterMs ?? 0) / 1000, locale, 1),
      });
    case 'stopping':
      return text['kvm.phase.stopping'];
    case 'exited':
      return fill(text['kvm.phase.exited'], { reason: view.reason ? text[`kvm.reason.${view.reason}`] : '' });
  }
}

/** The bridge's error for this guest, in the page's language. */
export function guestErrorText(view: GuestView, locale: Locale): string | null {
  return view.error ? formatMessage(view.error.key, locale, view.error.params) : null;
}
