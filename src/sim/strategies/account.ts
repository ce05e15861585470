import { disassemble } from '../machine/disasm.ts';
import { MODE_USER } from '../machine/isa.ts';
import type { CycleBreakdown, ExitReasonName, Lane, Session, TraceEvent, TraceKind, TrapReason } from './types.ts';

/** Extra fields for {@link charge}'s trace event. */
export interface EventExtra {
  readonly reason?: TrapReason | ExitReasonName;
  readonly exitCode?: number;
  readonly blockLength?: number;
  readonly text?: string;
}

/**
 * Adds `cycles` to the session's clock under `category` and, when tracing,
 * records an event for it. In batch mode (`trace === null`) this is just two additions.
 *
 * @example
 * charge(s, trace, 'transition', s.costs.trapRoundTrip, 'trap', 'monitor', pc, { reason: 'io' });
 */
export function charge(
  s: Session,
  trace: TraceEvent[] | null,
  category: keyof CycleBreakdown,
  cycles: number,
  kind: TraceKind,
  lane: Lane,
  pc: number,
  extra: EventExtra = {},
): void {
  const at = s.counters.cycles;
  s.counters.cycles += cycles;
  s.counters.cyclesBy[category] += cycles;
  if (trace === null) return;
  const { text, ...rest } = extra;
  trace.push({ kind, lane, pc, at, cycles, text: text ?? disassemble(s.program.code, pc, s.program.labels), ...rest });
}

/** The guest lane for the CPU's current (virtual) mode. */
export function guestLane(mode: number): Lane {
  return mode === MODE_USER ? 'guest-user' : 'guest-kernel';
}
