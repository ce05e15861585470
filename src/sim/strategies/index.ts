/**
 * Execution strategies over one guest program: native, pure emulation,
 * trap-and-emulate, binary translation, paravirtualization and hardware
 * assist, with an editable cost model, counters and a step-by-step trace.
 *
 * @example
 * import { init, run, step, architecturalState } from './index.ts';
 * const s = init({ program, strategy: 'hardware-assisted', exitControls: { ioExiting: true } });
 * run(s, 1_000_000);
 * s.counters.exits['io-instruction']
 */
export * from './types.ts';
export * from './costs.ts';
export * from './presets.ts';
export {
  architecturalState,
  cloneSession,
  consoleText,
  contextFor,
  createCounters,
  currentInstruction,
  cyclesPerInstruction,
  init,
  isStopped,
  NATIVE_COSTED_OPS,
  run,
  runToCompletion,
  slowdown,
  step,
  translationCache,
  type SessionParams,
  type StepInput,
  type StepResult,
} from './session.ts';
export { drive, ENGINES } from './driver.ts';
export type { Engine } from './engines/engine.ts';
export { DEFAULT_BT_OPTIONS, type Block, type BtOptions, type BtState, type CompileMode } from './bt/state.ts';
export { classify, generateBlockSource, scanBlock, translateBlock } from './bt/translate.ts';
export { trapReasonOf, exitReasonOf } from './engines/reasons.ts';
export { nativeCostOf } from './engines/native.ts';
export { hypervisorView, paravirtualInstruction, paravirtualize } from '../paravirt/rewrite.ts';
