/**
 * Runs one step's check against the machine on this page: the simulator's state for simulator
 * steps, an out-of-band probe of the browser PC for pc steps. What the student typed into a
 * terminal never reaches a check.
 */
import type { LocalizedText, StepCheck } from '../../schemas/guided-lab';
import { pageCpu } from '../simulator/page-cpu';
import { pagePc } from '../pc/page-pc';
import { evaluateProbe, type ProbeTarget } from './probe';
import { evaluateSimCheck, SIM_CHECK_IMPLS } from './sim-checks';
import { observeCpu } from './sim-observation';

export type CheckOutcome =
  | { kind: 'verdict'; passed: boolean; missing: readonly LocalizedText[] }
  /** The machine is not running (not started yet, or it has no out-of-band channel). */
  | { kind: 'not-ready' }
  | { kind: 'error'; reason: string };

/** The page's running machine, if it can run probes (the browser PC's V86Backend can). */
function probeTarget(): ProbeTarget | null {
  const backend = pagePc();
  if (backend === null || backend.status.state !== 'running') return null;
  if (!('probe' in backend) || typeof backend.probe !== 'function') return null;
  return backend as ProbeTarget;
}

export async function runCheck(check: StepCheck, answer: string): Promise<CheckOutcome> {
  if (check.kind === 'simulator') {
    const cpu = pageCpu();
    if (cpu === null && SIM_CHECK_IMPLS[check.check].needsMachine) return { kind: 'not-ready' };
    return { kind: 'verdict', ...evaluateSimCheck(check.check, check.params, cpu && observeCpu(cpu.snapshot), answer) };
  }
  if (check.kind === 'kvm') return { kind: 'not-ready' };
  const target = probeTarget();
  if (target === null) return { kind: 'not-ready' };
  try {
    // The back end waits longer than the guest's own time limit, so a slow script still answers.
    const result = await target.probe(check.probe);
    return { kind: 'verdict', ...evaluateProbe(check.expect, result) };
  } catch (error) {
    return { kind: 'error', reason: error instanceof Error ? error.message : String(error) };
  }
}
