import { describe, expect, it } from 'vitest';
import { holdsSlot, transition, type Effect, type GuestEvent, type GuestState } from '../../../src/kvm-bridge/lifecycle.ts';

const kinds = (effects: Effect[]): string[] => effects.map((e) => e.kind);

function run(state: GuestState, ...events: GuestEvent[]): { state: GuestState; effects: string[][] } {
  const effects: string[][] = [];
  for (const event of events) {
    const result = transition(state, event);
    if (!result.ok) throw new Error(`refused ${event.type} in ${state.phase}`);
    state = result.next;
    effects.push(kinds(result.effects));
  }
  return { state, effects };
}

const none: GuestState = { phase: 'none' };

describe('a TCG guest', () => {
  it('boots, runs, takes input and stops when asked', () => {
    const { state, effects } = run(
      none,
      { type: 'start', accel: 'tcg' },
      { type: 'launched' },
      { type: 'input' },
      { type: 'prompt-seen' },
      { type: 'watch-stats' },
      { type: 'stop', cause: 'client-stop' },
      { type: 'exited', failure: null, guestReset: false, detail: '' },
    );
    expect(effects).toEqual([['spawn', 'notify-phase'], ['notify-phase'], ['forward-input'], ['notify-phase'], ['configure-stats'], ['kill', 'notify-phase'], ['release', 'notify-phase']]);
    expect(state).toEqual({ phase: 'exited', accel: 'tcg', reason: 'client-stop' });
  });

  it('reports a boot timeout as an error, not as a KVM problem', () => {
    const result = transition({ phase: 'booting', accel: 'tcg' }, { type: 'boot-timeout', seconds: 90, lastOutput: '' });
    expect(result).toMatchObject({ ok: true, next: { phase: 'stopping', reason: 'boot-timeout' } });
    if (result.ok) expect(result.effects[0]).toEqual({ kind: 'report-error', code: 'boot-timeout', detail: '90' });
  });

  it('ignores KVM faults (TCG has no KVM)', () => {
    expect(transition({ phase: 'booting', accel: 'tcg' }, { type: 'kvm-fault', detail: 'x' }).ok).toBe(false);
  });

  it('reports QEMU dying by itself as qemu-failed', () => {
    const result = transition({ phase: 'running', accel: 'tcg' }, { type: 'exited', failure: 'qemu-failed', guestReset: false, detail: 'boom' });
    expect(result).toMatchObject({ ok: true, next: { phase: 'exited', reason: 'qemu-failed' } });
    if (result.ok) expect(kinds(result.effects)).toEqual(['report-error', 'release', 'notify-phase']);
  });

  it('that ends before its prompt, even with status 0, failed', () => {
    const result = transition({ phase: 'booting', accel: 'tcg' }, { type: 'exited', failure: null, guestReset: true, detail: '' });
    if (!result.ok) throw new Error('refused');
    expect(result.effects[0]).toEqual({ kind: 'report-error', code: 'qemu-failed', detail: 'guest reset before its prompt' });
    expect(result.next).toMatchObject({ reason: 'qemu-failed' });
  });

  it('calls a clean exit of its own (guest poweroff) qemu-exited, without an error', () => {
    const result = transition({ phase: 'running', accel: 'tcg' }, { type: 'exited', failure: null, guestReset: false, detail: '' });
    expect(result).toMatchObject({ ok: true, next: { phase: 'exited', reason: 'qemu-exited' } });
    if (result.ok) expect(kinds(result.effects)).toEqual(['release', 'notify-phase']);
  });
});

describe('a KVM guest', () => {
  it('that stalls during boot is stopped and TCG is offered', () => {
    const result = transition({ phase: 'booting', accel: 'kvm' }, { type: 'boot-timeout', seconds: 30, lastOutput: 'Probing EDD' });
    expect(result).toMatchObject({ ok: true, next: { phase: 'stopping', reason: 'kvm-boot-failed' } });
    if (result.ok) {
      expect(result.effects[0]).toMatchObject({ kind: 'report-kvm-boot-failure', cause: 'timeout' });
      expect(kinds(result.effects)).toContain('kill');
    }
  });

  it('that faults during boot ("KVM internal error") is stopped and TCG is offered', () => {
    const result = transition({ phase: 'booting', accel: 'kvm' }, { type: 'kvm-fault', detail: 'KVM internal error. Suberror: 1' });
    if (!result.ok) throw new Error('refused');
    expect(result.effects[0]).toMatchObject({ kind: 'report-kvm-boot-failure', cause: 'kvm-internal-error' });
    expect(result.next).toMatchObject({ reason: 'kvm-boot-failed' });
  });

  it('that faults after its prompt is a crash, not a boot failure', () => {
    const result = transition({ phase: 'running', accel: 'kvm' }, { type: 'kvm-fault', detail: 'KVM internal error' });
    expect(result).toMatchObject({ ok: true, next: { reason: 'qemu-failed' } });
  });

  it('whose QEMU aborts before the prompt is a failed KVM boot', () => {
    const result = transition({ phase: 'launching', accel: 'kvm' }, { type: 'exited', failure: 'kvm-internal-error', guestReset: false, detail: 'failed to set MSR' });
    if (!result.ok) throw new Error('refused');
    expect(kinds(result.effects)).toEqual(['report-kvm-boot-failure', 'release', 'notify-phase']);
    expect(result.next).toEqual({ phase: 'exited', accel: 'kvm', reason: 'kvm-boot-failed' });
  });

  it('that resets itself before its prompt (QEMU exits 0 under -no-reboot) is a failed KVM boot', () => {
    // Measured on kvm_pvm: the course's i386 kernel triple-faults; QMP says SHUTDOWN guest-reset.
    const result = transition({ phase: 'booting', accel: 'kvm' }, { type: 'exited', failure: null, guestReset: true, detail: '' });
    if (!result.ok) throw new Error('refused');
    expect(result.effects[0]).toMatchObject({ kind: 'report-kvm-boot-failure', cause: 'guest-reset' });
    expect(result.next).toEqual({ phase: 'exited', accel: 'kvm', reason: 'kvm-boot-failed' });
  });

  it('without /dev/kvm reports the typed cause first', () => {
    const result = transition({ phase: 'launching', accel: 'kvm' }, { type: 'exited', failure: 'kvm-missing', guestReset: false, detail: 'Could not access KVM kernel module' });
    if (!result.ok) throw new Error('refused');
    expect(result.effects[0]).toEqual({ kind: 'report-error', code: 'kvm-missing', detail: 'Could not access KVM kernel module' });
    expect(result.effects[1]).toMatchObject({ kind: 'report-kvm-boot-failure', cause: 'qemu-exited' });
  });
});

describe('limits and the client going away', () => {
  it.each(['idle-timeout', 'lifetime-expired'] as const)('%s reports why, then kills', (cause) => {
    const result = transition({ phase: 'running', accel: 'tcg' }, { type: 'stop', cause });
    if (!result.ok) throw new Error('refused');
    expect(kinds(result.effects)).toEqual(['report-error', 'kill', 'notify-phase']);
    expect(result.next).toEqual({ phase: 'stopping', accel: 'tcg', reason: cause });
  });

  it.each(['client-gone', 'bridge-shutdown', 'client-stop'] as const)('%s kills without an error message', (cause) => {
    const result = transition({ phase: 'launching', accel: 'kvm' }, { type: 'stop', cause });
    if (!result.ok) throw new Error('refused');
    expect(kinds(result.effects)).toEqual(['kill', 'notify-phase']);
  });
});

describe('console flow (the page\'s backpressure)', () => {
  it.each(['launching', 'booting', 'running'] as const)('is accepted while %s and changes nothing but the flow', (phase) => {
    const state: GuestState = { phase, accel: 'tcg' };
    for (const paused of [true, false]) {
      expect(transition(state, { type: 'console-flow', paused })).toEqual({ ok: true, next: state, effects: [{ kind: 'configure-flow' }] });
    }
  });
});

describe('refusals', () => {
  const cases: [GuestState, GuestEvent][] = [
    [{ phase: 'launching', accel: 'tcg' }, { type: 'start', accel: 'tcg' }],
    [none, { type: 'launched' }],
    [none, { type: 'input' }],
    [{ phase: 'launching', accel: 'tcg' }, { type: 'input' }],
    [{ phase: 'launching', accel: 'tcg' }, { type: 'watch-stats' }],
    [{ phase: 'launching', accel: 'tcg' }, { type: 'prompt-seen' }],
    [{ phase: 'running', accel: 'tcg' }, { type: 'prompt-seen' }],
    [{ phase: 'running', accel: 'tcg' }, { type: 'boot-timeout', seconds: 1, lastOutput: '' }],
    [{ phase: 'stopping', accel: 'tcg', reason: 'client-stop' }, { type: 'stop', cause: 'client-stop' }],
    [{ phase: 'stopping', accel: 'tcg', reason: 'client-stop' }, { type: 'input' }],
    [{ phase: 'exited', accel: 'tcg', reason: 'client-stop' }, { type: 'stop', cause: 'client-stop' }],
    [{ phase: 'exited', accel: 'tcg', reason: 'client-stop' }, { type: 'exited', failure: null, guestReset: false, detail: '' }],
    [none, { type: 'console-flow', paused: true }],
    [{ phase: 'stopping', accel: 'tcg', reason: 'client-stop' }, { type: 'console-flow', paused: false }],
  ];
  it.each(cases)('in %j refuses %j', (state, event) => {
    expect(transition(state, event)).toEqual({ ok: false, error: 'invalid-transition', phase: state.phase, action: event.type });
  });
});

describe('slots', () => {
  it('are held from launching until exited', () => {
    expect(holdsSlot(none)).toBe(false);
    expect(holdsSlot({ phase: 'launching', accel: 'tcg' })).toBe(true);
    expect(holdsSlot({ phase: 'stopping', accel: 'tcg', reason: 'client-stop' })).toBe(true);
    expect(holdsSlot({ phase: 'exited', accel: 'tcg', reason: 'client-stop' })).toBe(false);
  });
});
