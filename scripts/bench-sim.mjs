/**
 * Benchmark of the simulation models (not a test: numbers depend on the machine).
 *
 * Imports the TypeScript sources directly (Node ≥ 22.18 strips types; src/sim
 * uses only erasable syntax and explicit `.ts` imports for exactly this), then
 * measures, side by side in one process:
 *  - how many guest instructions per second each strategy simulates (batch
 *    mode, warm JIT; binary translation with a warm translation cache), and
 *  - the cycles each strategy's cost model charges for the same reference program: these
 *    figures are modelled, not measured, and are named so (`modelled…`), and
 *  - `calibration`: the model held against the literature (src/sim/calibration.ts) — for
 *    each nanobenchmark of Adams & Agesen 2006 the modelled cycles per operation on
 *    native, binary translation and both VT-x generations beside the paper's, the
 *    modelled CPU-bound slowdown per strategy, and the modelled average nested-walk
 *    references per TLB miss with page-walk caches (Bhargava et al. 2008).
 *
 * Then a browser phase: the built site (dist/, built first if missing) served on
 * 127.0.0.1, lesson 5 opened in headless Chromium, the CPU simulator started and its
 * timeline running, and the frame times measured from requestAnimationFrame deltas
 * (`timelineFrameMsMedian`, `timelineFrameMsP95`, `timelineFps`; target 60 fps). If the
 * site cannot be built or Chromium is missing, those figures are null with the reason.
 *
 * Prints a readable table, then ONE JSON object as the last line of stdout.
 * Usage: npm run bench:sim  [-- --instructions 20000000 --repeats 3 --frames-seconds 4]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { calibration as calibrate } from '../src/sim/calibration.ts';
import { guests, strategies } from '../src/sim/index.ts';
import { chromiumMissing, launchChromium } from './lib/chromium.ts';
import { quantile } from './lib/stats.ts';
import { startStaticServer } from './static-server.mjs';

/** @param {string} name @param {number} fallback */
function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  return value === undefined ? fallback : Number(value);
}
const INSTRUCTIONS = option('instructions', 20_000_000);
const REPEATS = option('repeats', 3);
const EMULATION_TARGET = 50_000_000;

const { init, isStopped, run, STRATEGIES } = strategies;

const WARM_UP = Math.min(2_000_000, INSTRUCTIONS);
// The reference program: the CPU-bound guest (11 instructions per loop iteration), sized so the
// warm-up and every timed repeat run on the same session without reaching its end, with room
// for the timer handler's instructions.
const reference = guests.guest('cpu-bound', { iterations: Math.ceil(((WARM_UP + REPEATS * INSTRUCTIONS) * 1.1) / 11) + 1000 });

/**
 * Wall-clock guest instructions per second of `run` on a session, best of REPEATS.
 * @param {strategies.StrategyName} strategy
 */
function measure(strategy) {
  // Warm-up: JIT the interpreter (and, for binary translation, fill the cache
  // and compile the blocks). The timed runs continue on this warm session.
  const session = init({ program: reference.program, strategy });
  run(session, WARM_UP);
  let best = 0;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    const n = run(session, INSTRUCTIONS);
    const seconds = (performance.now() - t0) / 1000;
    // Every repeat must time the same amount of work: a guest that ended early would measure less.
    if (n < INSTRUCTIONS || isStopped(session)) {
      throw new Error(`${strategy}: repeat ${i + 1} retired ${n} of ${INSTRUCTIONS} instructions (the guest ended)`);
    }
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
 * `instructionsPerSecond` is measured (wall clock); the cycle figures are modelled: they come
 * from the simulator's cost model, not from timing anything.
 * @typedef {{ instructionsPerSecond: number, modelledCycles: number, simulatedInstructions: number,
 *   modelledCyclesPerInstruction: number, modelledSlowdownVsNative: number }} StrategyResult
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
    modelledCycles: sim.cycles,
    simulatedInstructions: sim.instructions,
    modelledCyclesPerInstruction: Number((sim.cycles / sim.instructions).toFixed(3)),
    modelledSlowdownVsNative: Number((sim.cycles / nativeReferenceCycles).toFixed(3)),
  });
}
/** @param {strategies.StrategyName} strategy @returns {StrategyResult} */
function result(strategy) {
  const r = measured.get(strategy);
  if (r === undefined) throw new Error(`no result for ${strategy}`);
  return r;
}
const results = Object.fromEntries(measured);

// Modelled slowdown (cost-model cycles, not a timing) of every strategy on every example guest (default sizes);
// hardware assist as the modern default and, as `hardware-assisted:vtx-2006`, as the first VT-x.
/** @type {Record<string, Record<string, number>>} */
const workloads = {};
const WORKLOAD_COLUMNS = [...STRATEGIES, 'hardware-assisted:vtx-2006'];
for (const id of guests.GUEST_IDS) {
  const g = guests.guest(id);
  /** @type {Record<string, number>} */
  const row = {};
  let nativeCycles = 1;
  for (const column of WORKLOAD_COLUMNS) {
    const s =
      column === 'hardware-assisted:vtx-2006'
        ? init({ program: g.program, strategy: 'hardware-assisted', ...strategies.withHwPreset('vtx-2006') })
        : init({ program: g.program, strategy: /** @type {strategies.StrategyName} */ (column) });
    run(s, 50_000_000);
    if (column === 'native') nativeCycles = s.counters.cycles;
    row[column] = Number((s.counters.cycles / nativeCycles).toFixed(2));
  }
  workloads[id] = row;
}

// The model against the literature (deterministic; every number in `modelled` comes from the cost model).
const calibration = calibrate();

// ---- browser phase: the timeline island's frame times --------------------------

const FRAME_SECONDS = option('frames-seconds', 4);
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * Frame statistics from requestAnimationFrame deltas.
 * @param {number[]} deltas
 */
function frameStats(deltas) {
  const median = quantile(deltas, 0.5);
  const total = deltas.reduce((a, b) => a + b, 0);
  return {
    frames: deltas.length,
    frameMsMedian: Number(median.toFixed(2)),
    frameMsP95: Number(quantile(deltas, 0.95).toFixed(2)),
    fps: Number((total > 0 ? (1000 * deltas.length) / total : 0).toFixed(1)),
  };
}

/**
 * Runs the lesson-5 simulator with `guestId` at speed index `speedIndex` (0 = slowest,
 * End = as fast as possible) and records rAF deltas for FRAME_SECONDS.
 * @param {import('playwright-core').Browser} browser @param {string} base
 * @param {{ guestId: 'privileged-heavy' | 'cpu-bound', speedKey: 'End' | number }} run
 */
async function measureTimeline(browser, base, run) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/pelajaran/virtualisasi-cpu/`);
    const shell = page.locator('[data-sim="cpu-flaw"]');
    await shell.scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('astro-island')].some(
        (el) => (el.getAttribute('component-url') ?? '').includes('SimShell') && !el.hasAttribute('ssr'),
      ),
    );
    await shell.locator('button').first().click();
    await shell.locator('.sim-lab').waitFor();
    // The example guest, sized so it keeps running through the measurement (typed into the editor).
    await shell.locator('textarea').fill(guests.guest(run.guestId, { iterations: 50_000_000 }).source);
    const speed = shell.locator('#sim-cpu-flaw-speed');
    await speed.focus();
    if (run.speedKey === 'End') await page.keyboard.press('End');
    else {
      await page.keyboard.press('Home');
      for (let i = 0; i < run.speedKey; i++) await page.keyboard.press('ArrowRight');
    }
    const speedText = (await shell.locator('output[for="sim-cpu-flaw-speed"]').textContent()) ?? '';
    await shell.locator('[data-timeline]').scrollIntoViewIfNeeded();
    await shell.locator('button[data-action="run"]').click();
    await page.waitForTimeout(300);
    const before = Number((await shell.locator('[data-counter="instructions"] dd').textContent())?.replace(/\D/g, ''));
    /** @type {number[]} */
    const deltas = await page.evaluate(
      (ms) =>
        new Promise((/** @type {(value: number[]) => void} */ resolve) => {
          /** @type {number[]} */
          const out = [];
          let last = -1;
          const t0 = performance.now();
          /** @param {number} t */
          const frame = (t) => {
            if (last >= 0) out.push(t - last);
            last = t;
            if (performance.now() - t0 < ms) requestAnimationFrame(frame);
            else resolve(out);
          };
          requestAnimationFrame(frame);
        }),
      FRAME_SECONDS * 1000,
    );
    const after = Number((await shell.locator('[data-counter="instructions"] dd').textContent())?.replace(/\D/g, ''));
    const boxes = await shell.locator('[data-timeline] rect.box').count();
    const status = await shell.locator('.sim-lab').getAttribute('data-status');
    if (status !== 'running') throw new Error(`the simulator stopped running during the measurement (${status})`);
    if (after <= before || boxes === 0) throw new Error('the timeline did not advance during the measurement');
    return {
      guest: run.guestId,
      speed: speedText,
      instructionsDuringMeasurement: after - before,
      timelineBoxes: boxes,
      ...frameStats(deltas),
    };
  } finally {
    await context.close();
  }
}

/** @returns {Promise<{ ok: true, busy: Awaited<ReturnType<typeof measureTimeline>>, max: Awaited<ReturnType<typeof measureTimeline>> } | { ok: false, reason: string }>} */
async function browserPhase() {
  if (!existsSync(`${DIST}index.html`)) {
    console.log('dist/ is missing: building the site for the browser phase…');
    const build = spawnSync(fileURLToPath(new URL('../node_modules/.bin/astro', import.meta.url)), ['build'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    if (build.status !== 0 || !existsSync(`${DIST}index.html`)) {
      return {
        ok: false,
        reason: `dist/ is missing and \`astro build\` failed: ${String(build.stderr ?? build.error ?? '')
          .trim()
          .slice(-300)}`,
      };
    }
  }
  const missing = chromiumMissing();
  if (missing) return { ok: false, reason: missing };
  const server = await startStaticServer({ root: DIST });
  const browser = await launchChromium();
  try {
    // What a learner watches: a trap-heavy kernel under trap-and-emulate at 10 000 instructions/s
    // (every frame adds ~170 instructions and the timeline window scrolls completely).
    const busy = await measureTimeline(browser, server.url, { guestId: 'privileged-heavy', speedKey: 5 });
    // The worst case: as fast as the frame budget allows (a CPU-bound guest that keeps running).
    const max = await measureTimeline(browser, server.url, { guestId: 'cpu-bound', speedKey: 'End' });
    return { ok: true, busy, max };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await browser.close();
    await server.close();
  }
}

const browser = await browserPhase();

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
    emulationVsNativeModelledCycles: result('emulation').modelledSlowdownVsNative,
    binaryTranslationVsNativeModelledCycles: result('binary-translation').modelledSlowdownVsNative,
    hardwareAssistedVsNativeModelledCycles: result('hardware-assisted').modelledSlowdownVsNative,
  },
  workloadModelledSlowdownVsNative: workloads,
  calibration,
  // Lesson 5's timeline island running in headless Chromium (trap-heavy guest, 10 000 instructions/s).
  timelineFrameMsMedian: browser.ok ? browser.busy.frameMsMedian : null,
  timelineFrameMsP95: browser.ok ? browser.busy.frameMsP95 : null,
  timelineFps: browser.ok ? browser.busy.fps : null,
  timelineFpsTarget: 60,
  timeline: browser.ok ? { busy: browser.busy, maxSpeed: browser.max } : { error: browser.reason },
};

/** @param {string | number} s @param {number} n */
const pad = (s, n) => String(s).padEnd(n);
console.log(`Reference: ${summary.referenceProgram} (best of ${REPEATS}, ${process.version})`);
console.log('sim instr/s is measured; cycles and slowdown are modelled (the cost model), not timed.');
console.log(`${pad('strategy', 20)}${pad('sim instr/s', 16)}${pad('model cycles', 16)}${pad('cycles/instr', 14)}model slowdown`);
for (const strategy of STRATEGIES) {
  const r = result(strategy);
  console.log(
    `${pad(strategy, 20)}${pad((r.instructionsPerSecond / 1e6).toFixed(1) + ' M', 16)}${pad(r.modelledCycles, 16)}${pad(r.modelledCyclesPerInstruction, 14)}${r.modelledSlowdownVsNative}×`,
  );
}
console.log(`\nModelled slowdown vs native per example guest (cost model, not timed):`);
for (const [id, row] of Object.entries(workloads)) {
  console.log(`${pad(id, 18)}${WORKLOAD_COLUMNS.map((s) => `${s}=${row[s] ?? '?'}×`).join('  ')}`);
}
console.log(`\nCalibration against ${calibration.source} (${calibration.unit}; modelled, paper in brackets):`);
console.log(`${pad('', 10)}${pad('native', 16)}${pad('bt', 16)}${pad('hw2006', 18)}hwModern`);
for (const [id, m] of Object.entries(calibration.modelled.cyclesPerOp)) {
  const p = calibration.paper.cyclesPerOp[/** @type {keyof typeof calibration.paper.cyclesPerOp} */ (id)];
  console.log(
    `${pad(id, 10)}${pad(`${m.native} [${p.native}]`, 16)}${pad(`${m.bt} [${p.bt}]`, 16)}${pad(`${m.hw2006} [${p.vtx}]`, 18)}${m.hwModern}`,
  );
}
console.log(
  `CPU-bound slowdown: ${Object.entries(calibration.modelled.cpuBoundSlowdown)
    .map(([k, v]) => `${k}=${v}×`)
    .join('  ')}`,
);
console.log(
  `Nested paging, average walk references per TLB miss with caches: ${calibration.modelled.nestedAvgRefsPerMiss} (24 without)`,
);
if (browser.ok) {
  for (const [label, r] of /** @type {const} */ ([
    ['busy', browser.busy],
    ['max speed', browser.max],
  ])) {
    console.log(
      `\nTimeline island (${label}: ${r.guest}, ${r.speed}): ${r.fps} fps, frame median ${r.frameMsMedian} ms, p95 ${r.frameMsP95} ms over ${r.frames} frames`,
    );
  }
} else {
  console.log(`\nTimeline island: not measured (${browser.reason})`);
}
console.log(JSON.stringify(summary));
