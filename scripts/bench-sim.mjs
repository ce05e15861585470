/**
 * Benchmark of the simulation models (not a test: numbers depend on the machine).
 *
 * Imports the TypeScript sources directly (Node ≥ 22.18 strips types; src/sim
 * uses only erasable syntax and explicit `.ts` imports for exactly this), then
 * measures, side by side in one process:
 *  - how many guest instructions per second each strategy simulates (batch
 *    mode, warm JIT; binary translation with a warm translation cache), and
 *  - the simulated cycles each strategy charges for the same reference program.
 *
 * Prints a readable table, then ONE JSON object as the last line of stdout.
 * Usage: npm run bench:sim  [-- --instructions 20000000 --repeats 3]
 */
import { guests, strategies } from '../src/sim/index.ts';

/** @param {string} name @param {number} fallback */
function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  return value === undefined ? fallback : Number(value);
}
const INSTRUCTIONS = option('instructions', 20_000_000);
const REPEATS = option('repeats', 3);
const EMULATION_TARGET = 50_000_000;

const { init, run, STRATEGIES } = strategies;

// The reference program: the CPU-bound guest, sized so no run reaches its end.
const reference = guests.guest('cpu-bound', { iterations: Math.ceil((INSTRUCTIONS * 3) / 11) + 1000 });

/**
 * Wall-clock guest instructions per second of `run` on a session, best of REPEATS.
 * @param {strategies.StrategyName} strategy
 */
function measure(strategy) {
  // Warm-up: JIT the interpreter (and, for binary translation, fill the cache
  // and compile the blocks). The timed runs continue on this warm session.
  const session = init({ program: reference.program, strategy });
  run(session, Math.min(2_000_000, INSTRUCTIONS));
  let best = 0;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    const n = run(session, INSTRUCTIONS);
    const seconds = (performance.now() - t0) / 1000;
    best = Math.max(best, n / seconds);
  }
  return best;
}

/**
 * Simulated cycles for the first INSTRUCTIONS instructions of the reference program (deterministic).
 * @param {strategies.StrategyName} strategy
 */
function simulatedCycles(strategy) {
  const s = init({ program: reference.program, strategy });
  run(s, INSTRUCTIONS);
  return { cycles: s.counters.cycles, instructions: s.counters.instructions };
}

/**
 * @typedef {{ instructionsPerSecond: number, simulatedCycles: number, simulatedInstructions: number,
 *   cyclesPerInstruction: number, slowdownVsNative: number }} StrategyResult
 */
/** @type {Map<strategies.StrategyName, StrategyResult>} */
const measured = new Map();
let nativeReferenceCycles = 1;
for (const strategy of STRATEGIES) {
  const ips = measure(strategy);
  const sim = simulatedCycles(strategy);
  if (strategy === 'native') nativeReferenceCycles = sim.cycles;
  measured.set(strategy, {
    instructionsPerSecond: Math.round(ips),
    simulatedCycles: sim.cycles,
    simulatedInstructions: sim.instructions,
    cyclesPerInstruction: Number((sim.cycles / sim.instructions).toFixed(3)),
    slowdownVsNative: Number((sim.cycles / nativeReferenceCycles).toFixed(3)),
  });
}
/** @param {strategies.StrategyName} strategy @returns {StrategyResult} */
function result(strategy) {
  const r = measured.get(strategy);
  if (r === undefined) throw new Error(`no result for ${strategy}`);
  return r;
}
const results = Object.fromEntries(measured);

// Simulated slowdown of every strategy on every example guest (default sizes).
/** @type {Record<string, Record<string, number>>} */
const workloads = {};
for (const id of guests.GUEST_IDS) {
  const g = guests.guest(id);
  /** @type {Record<string, number>} */
  const row = {};
  let nativeCycles = 1;
  for (const strategy of STRATEGIES) {
    const s = init({ program: g.program, strategy });
    run(s, 50_000_000);
    if (strategy === 'native') nativeCycles = s.counters.cycles;
    row[strategy] = Number((s.counters.cycles / nativeCycles).toFixed(2));
  }
  workloads[id] = row;
}

const emulationIps = result('emulation').instructionsPerSecond;
const summary = {
  referenceProgram: `guest 'cpu-bound' (xorshift loop), first ${INSTRUCTIONS} instructions`,
  node: process.version,
  repeats: REPEATS,
  emulationInstructionsPerSecond: emulationIps,
  emulationTarget: EMULATION_TARGET,
  meetsEmulationTarget: emulationIps >= EMULATION_TARGET,
  strategies: results,
  ratios: {
    binaryTranslationVsEmulationSimulatorSpeed: Number(
      (result('binary-translation').instructionsPerSecond / emulationIps).toFixed(2),
    ),
    emulationVsNativeSimulatedCycles: result('emulation').slowdownVsNative,
    binaryTranslationVsNativeSimulatedCycles: result('binary-translation').slowdownVsNative,
    hardwareAssistedVsNativeSimulatedCycles: result('hardware-assisted').slowdownVsNative,
  },
  workloadSlowdownVsNative: workloads,
};

/** @param {string | number} s @param {number} n */
const pad = (s, n) => String(s).padEnd(n);
console.log(`Reference: ${summary.referenceProgram} (best of ${REPEATS}, ${process.version})`);
console.log(`${pad('strategy', 20)}${pad('sim instr/s', 16)}${pad('sim cycles', 16)}${pad('cycles/instr', 14)}slowdown`);
for (const strategy of STRATEGIES) {
  const r = result(strategy);
  console.log(
    `${pad(strategy, 20)}${pad((r.instructionsPerSecond / 1e6).toFixed(1) + ' M', 16)}${pad(r.simulatedCycles, 16)}${pad(r.cyclesPerInstruction, 14)}${r.slowdownVsNative}×`,
  );
}
console.log(`\nSimulated slowdown vs native per example guest:`);
for (const [id, row] of Object.entries(workloads)) {
  console.log(`${pad(id, 18)}${STRATEGIES.map((s) => `${s}=${row[s] ?? '?'}×`).join('  ')}`);
}
console.log(JSON.stringify(summary));
