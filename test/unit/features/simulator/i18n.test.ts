import { describe, expect, it } from 'vitest';
import { SIM_GROUPS, SIM_MODELS, simStrings, simText, type SimKey } from '../../../../src/features/simulator/strings';
import { DEFAULT_COSTS, STRATEGIES, TRAP_REASONS, VMX_EXIT_CODES } from '../../../../src/sim/strategies/index.ts';
import { LANES } from '../../../../src/features/simulator/timeline';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('simulator strings', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(simStrings.en).sort()).toEqual(Object.keys(simStrings.id).sort());
  });

  it('use the same placeholders in both languages, and no string is empty', () => {
    for (const key of Object.keys(simStrings.id) as SimKey[]) {
      expect(placeholders(simStrings.en[key]), key).toEqual(placeholders(simStrings.id[key]));
      expect(simStrings.id[key].trim(), key).not.toBe('');
      expect(simStrings.en[key].trim(), key).not.toBe('');
    }
  });

  it('translate every name the models use: strategies, trap and exit reasons, lanes, event kinds, costs', () => {
    const needed = [
      ...STRATEGIES.map((s) => `strategy.${s}`),
      ...TRAP_REASONS.map((r) => `reason.${r}`),
      ...Object.keys(VMX_EXIT_CODES).map((r) => `reason.${r}`),
      ...LANES.map((l) => `lane.${l}`),
      ...[
        'guest',
        'interpret',
        'translated',
        'trap',
        'exit',
        'emulate',
        'reflect',
        'translate',
        'cache-hit',
        'hypercall',
        'ring',
        'shared-info',
        'interrupt',
        'idle',
        'stop',
      ].map((k) => `kind.${k}`),
      ...Object.keys(DEFAULT_COSTS).map((c) => `cost.${c}`),
      ...['shadow-fill', 'shadow-sync', 'ptb-switch'].map((t) => `mem.trap.${t}`),
      ...['guest-table', 'host-table', 'shadow-table', 'data'].map((k) => `mem.kind.${k}`),
      ...SIM_MODELS.map((m) => `shell.label.${m}`),
    ];
    const missing = needed.filter((k) => !(k in simStrings.id));
    expect(missing).toEqual([]);
  });

  it('simText passes only the groups an island shows, in the page language', () => {
    const text = simText('en', SIM_GROUPS.density);
    expect(text['shell.start']).toBe('Start the simulator');
    expect(Object.keys(text).every((k) => k.startsWith('shell.') || k.startsWith('den.'))).toBe(true);
    expect(Object.keys(simText('id', SIM_GROUPS['cpu-flaw']))).toContain('reason.interrupt-flag');
    expect(simText('id', ['shell'])['shell.start']).toBe('Jalankan simulator');
  });
});
