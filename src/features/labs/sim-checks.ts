/**
 * Simulator checks: pure functions of what the simulator shows (a SimObservation) and, for a
 * prediction, the student's answer. Expected values come from running src/sim itself, never from
 * a number written into the lab.
 */
import type { LocalizedText, SimCheckName } from '../../schemas/guided-lab';
import { fill, type FillValues } from '../../i18n/fill';
import { assemble } from '../../sim/asm/index.ts';
import { HW_PRESETS, init, run, type ExitControls } from '../../sim/strategies/index.ts';
import { labStrings, type LabKey } from './strings';
import type { SimObservation } from './sim-observation';
import type { Verdict } from './probe';

export type SimParams = Readonly<Record<string, string | number>>;

interface SimCheck {
  /** The step asks the student for an answer (a prediction) next to the Check button. */
  readonly needsAnswer: boolean;
  /** The check reads the running simulator (a prediction does not). */
  readonly needsMachine: boolean;
  /** What is still missing; empty when the check passes. `observation` is null before the simulator starts. */
  readonly evaluate: (observation: SimObservation | null, params: SimParams, answer: string) => LocalizedText[];
}

type MachineCheck = (observation: SimObservation, params: SimParams, answer: string) => LocalizedText[];

/** A check of the simulator's state: without a running simulator, that is what is missing. */
const onMachine = (evaluate: MachineCheck): SimCheck => ({
  needsAnswer: false,
  needsMachine: true,
  evaluate: (o, p, a) => (o === null ? [say('check.sim.start')] : evaluate(o, p, a)),
});

/** Instructions a check runs a program for, at most (the lab programs need a few dozen). */
const RUN_LIMIT = 1_000_000;

const say = (key: LabKey, values?: FillValues): LocalizedText => ({
  id: fill(labStrings.id[key], values),
  en: fill(labStrings.en[key], values),
});

/** A message naming a thing (a strategy, a machine) in each language. */
const sayNamed = (key: LabKey, slot: string, nameKey: LabKey): LocalizedText => ({
  id: fill(labStrings.id[key], { [slot]: labStrings.id[nameKey] }),
  en: fill(labStrings.en[key], { [slot]: labStrings.en[nameKey] }),
});

const text = (params: SimParams, name: string): string => {
  const value = params[name];
  if (typeof value !== 'string') throw new Error(`simulator check: parameter "${name}" must be a string`);
  return value;
};

const number = (params: SimParams, name: string): number => {
  const value = params[name];
  if (typeof value !== 'number') throw new Error(`simulator check: parameter "${name}" must be a number`);
  return value;
};

const finished = (o: SimObservation) => o.stop === 'end' || o.stop === 'halted';

/** The POPF demo on the classic machine under trap-and-emulate: what lesson 5 shows breaking. */
function flawSetup(o: SimObservation, params: SimParams): LocalizedText[] {
  const missing: LocalizedText[] = [];
  const guest = text(params, 'guest');
  if (o.guestId !== guest) missing.push(say('check.sim.loadGuest', { guest }));
  if (o.variant !== 'classic') missing.push(sayNamed('check.sim.chooseVariant', 'variant', 'variant.classic'));
  return missing;
}

function strategyIs(o: SimObservation, strategy: 'trap-and-emulate' | 'hardware-assisted'): LocalizedText[] {
  return o.strategy === strategy ? [] : [sayNamed('check.sim.chooseStrategy', 'strategy', `strategy.${strategy}`)];
}

/** Same instructions and data, whatever the spacing and comments. */
function sameProgram(a: string, b: string): boolean {
  const pa = assemble(a);
  const pb = assemble(b);
  if (!pa.ok || !pb.ok) return false;
  const x = pa.program;
  const y = pb.program;
  return (
    x.code.length === y.code.length &&
    x.code.every((v, i) => v === y.code[i]) &&
    JSON.stringify(x.data) === JSON.stringify(y.data)
  );
}

/**
 * VM exits of a program run to its end under hardware assist with the given exit controls.
 * @example exitsUnderHardwareAssist('OUT CONSOLE, r1\nHLT') // 2
 */
export function exitsUnderHardwareAssist(
  source: string,
  exitControls: ExitControls = HW_PRESETS['modern-ept'].exitControls,
): number {
  const assembled = assemble(source);
  if (!assembled.ok) throw new Error('simulator check: the lab program does not assemble');
  const session = init({ program: assembled.program, strategy: 'hardware-assisted', exitControls });
  run(session, RUN_LIMIT);
  return Object.values(session.counters.exits).reduce((a, b) => a + b, 0);
}

export const SIM_CHECK_IMPLS: Readonly<Record<SimCheckName, SimCheck>> = {
  'flaw-diverges': onMachine((o, p) => {
    const missing = [...flawSetup(o, p), ...strategyIs(o, 'trap-and-emulate')];
    if (missing.length === 0 && o.divergence === null) missing.push(say('check.sim.runToDivergence'));
    return missing;
  }),
  'stopped-at-divergence': onMachine((o, p) => {
    const missing = [...flawSetup(o, p), ...strategyIs(o, 'trap-and-emulate')];
    if (missing.length > 0) return missing;
    if (o.divergence === null) return [say('check.sim.runToDivergence')];
    if (o.instructions !== o.divergence.atInstruction) return [say('check.sim.stopAtDivergence')];
    return [];
  }),
  'flaw-fixed': onMachine((o, p) => {
    const missing = flawSetup(o, p);
    if (missing.length > 0) return missing;
    if (o.strategy === 'trap-and-emulate' || o.divergence !== null) return [say('check.sim.stillDiverges')];
    if (!finished(o)) return [say('check.sim.runToEnd')];
    return [];
  }),
  'predict-exits': {
    needsAnswer: true,
    needsMachine: false,
    evaluate: (_o, p, answer) => {
      const trimmed = answer.trim();
      if (!/^\d{1,7}$/.test(trimmed)) return [say('check.sim.answerNumber')];
      return Number(trimmed) === exitsUnderHardwareAssist(text(p, 'program')) ? [] : [say('check.sim.predictWrong')];
    },
  },
  'ran-program': onMachine((o, p) => {
    const missing = strategyIs(o, 'hardware-assisted');
    if (o.hasErrors || !sameProgram(o.source, text(p, 'program'))) missing.push(say('check.sim.sameProgram'));
    if (missing.length > 0) return missing;
    if (o.stop === 'crashed') return [say('check.sim.crashed')];
    return finished(o) ? [] : [say('check.sim.runToEnd')];
  }),
  'program-with-exits': onMachine((o, p) => {
    const want = number(p, 'exits');
    const missing = strategyIs(o, 'hardware-assisted');
    if (o.hasErrors) missing.push(say('check.sim.noErrors'));
    else if (o.guestId !== null) missing.push(say('check.sim.ownProgram'));
    if (missing.length > 0) return missing;
    if (o.stop === 'crashed') return [say('check.sim.crashed')];
    if (!finished(o)) return [say('check.sim.runToEnd')];
    return o.exits === want ? [] : [say('check.sim.exitsNot', { got: o.exits, want })];
  }),
};

/**
 * @example evaluateSimCheck('flaw-diverges', { guest: 'popf-flaw' }, observation).passed
 */
export function evaluateSimCheck(
  name: SimCheckName,
  params: SimParams,
  observation: SimObservation | null,
  answer = '',
): Verdict {
  const missing = SIM_CHECK_IMPLS[name].evaluate(observation, params, answer);
  return { passed: missing.length === 0, missing };
}
