/**
 * `npm run bench:bridge` — measures the KVM bridge end to end, through the real bridge process and
 * its WebSocket, and prints one JSON object as the last line of stdout:
 *
 *   tcgSpawnToPromptMs          start (TCG) → guest-state `running` (median of --boots runs)
 *   kvmSpawnToPromptMs          the same under -accel kvm, or null with `kvmSpawnToPromptNullReason`
 *   keystrokeRoundTripMsMedian  one key sent as `input` → its echo back as `output` (≥ 100 keys)
 *   kvmExitMicroseconds         Hello KVM's exit cost: `out-loop` unstreamed at two counts after a warm-up
 *                               (median of 3 `hello-kvm` requests); kvmExitsPerSecond the same as a rate
 *   kvmStreamedExitMicroseconds `hello` with every exit sent to the client: time per exit, sending included
 *   kvmStreamingMicrosecondsPerExit  what sending one exit adds (streamed − unstreamed run ÷ streamed exits)
 *   microProgramNsPerIteration  the same `out-loop` bytes timed under KVM and QEMU TCG (bridge `micro-run`)
 *                               and v86 (here, under Node, the same ROM): (t(N2) − t(N1)) / (N2 − N1)
 *                               from the medians of --micro-repeats runs at each count, one engine
 *                               after another; null with `<engine>NullReason` where one cannot run
 *   microProgramRatios          tcg/kvm and v86/kvm of those times
 *   compare                     per workload (compute, memory, syscall, out-loop; src/protocol/compare.ts),
 *                               ns per operation on `native` (the course's own vbench binary on this host),
 *                               `kvm` (the KVM API micro-guest), `tcg` and `v86` (the same bytes), each null
 *                               with `<engine>NullReason` where it cannot run; and `host` (CPU model, KVM
 *                               module and kind, whether this host is itself a guest)
 *
 * `--only compare` skips the boots and keystrokes (and the Linux-guest KVM column then says so).
 *
 * Uses the course guest (src/kvm-bridge/machines/ + .cache/guest/out/) unless --machines-dir/--guest-dir/--guest say
 * otherwise. Benchmarks are not tests: numbers vary with the machine; compare ratios.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { V86 } from 'v86';
import { connectBridge, parseBridgeUrl, type BridgeClient } from '../src/protocol/client.ts';
import { DEFAULT_MICRO_COUNTS, DEFAULT_MICRO_REPEATS, microCounts } from '../src/protocol/micro-timing.ts';
import { MAX_MICRO_REPEATS, type MicroWorkloadName, type ServerMessage } from '../src/protocol/schema.ts';
import {
  COMPARE_WORKLOADS,
  compareRow,
  MICRO_WORKLOAD,
  NATIVE_VBENCH,
  parseVbench,
  type CompareRow,
  type Figure,
} from '../src/protocol/compare.ts';
import { expectedReport, parseMicroReport } from '../src/protocol/micro-programs.ts';
import { timeMicroInV86, type V86Engine } from '../src/features/kvm-lab/micro-v86.ts';
import { nodeBridgeSocket } from './lib/bridge-socket.ts';
import { median, quantile } from './lib/stats.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));

const { values } = parseArgs({
  options: {
    'machines-dir': { type: 'string' },
    'guest-dir': { type: 'string' },
    guest: { type: 'string', default: 'linux-guest' },
    variant: { type: 'string', default: 'virtio' },
    boots: { type: 'string', default: '3' },
    keystrokes: { type: 'string', default: '200' },
    'kvm-boot-timeout': { type: 'string', default: '20' },
    'micro-repeats': { type: 'string', default: String(DEFAULT_MICRO_REPEATS) },
    only: { type: 'string', default: 'all' },
  },
});
if (values.only !== 'all' && values.only !== 'compare') throw new Error(`--only all|compare, not ${values.only}`);

const log = (text: string): void => void process.stderr.write(`[bench:bridge] ${text}\n`);

async function startBridge(): Promise<{ line: string; stop: () => Promise<void> }> {
  const args = [
    'src/kvm-bridge/main.ts',
    '--port',
    '0',
    '--kvm-boot-timeout',
    values['kvm-boot-timeout'],
    '--rate',
    '5000',
    '--burst',
    '5000',
  ];
  if (values['machines-dir']) args.push('--machines-dir', values['machines-dir']);
  if (values['guest-dir']) args.push('--guest-dir', values['guest-dir']);
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      out += text;
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.once('exit', (code) => reject(new Error(`bridge exited (${code})`)));
  });
  return {
    line,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Connects as the page does: the page's own client, with the Origin a browser would send. */
async function connect(line: string): Promise<BridgeClient> {
  const parsed = parseBridgeUrl(line);
  if (!parsed.ok) throw new Error(`bridge printed ${line}: ${parsed.problem}`);
  return connectBridge(parsed.address, { openSocket: nodeBridgeSocket(), timeoutMs: 5000 });
}

/** The first message from now on that `predicate` accepts; rejects after `timeoutMs`. */
function wait(client: BridgeClient, predicate: (m: ServerMessage) => boolean, timeoutMs: number): Promise<ServerMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timeout after ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.onMessage((m) => {
      if (!predicate(m)) return;
      clearTimeout(timer);
      off();
      resolve(m);
    });
  });
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** Start → `running`; resolves with ms and the guest id, or with the reason it did not boot. */
async function bootOnce(
  client: BridgeClient,
  accel: 'tcg' | 'kvm',
): Promise<{ ms: number; guestId: string } | { reason: string; guestId: string }> {
  const t0 = performance.now();
  const state = await client.startGuest(values.guest, values.variant, accel).catch((error: unknown) => {
    throw new Error(`start refused: ${String(error)}`);
  });
  const outcome = await wait(
    client,
    (m) =>
      (m.type === 'guest-state' && m.guestId === state.guestId && (m.phase === 'running' || m.phase === 'exited')) ||
      (m.type === 'kvm-boot-failed' && m.guestId === state.guestId),
    180_000,
  );
  if (outcome.type === 'guest-state' && outcome.phase === 'running')
    return { ms: performance.now() - t0, guestId: state.guestId };
  return {
    reason: outcome.type === 'kvm-boot-failed' ? `${outcome.cause}: ${outcome.detail}` : JSON.stringify(outcome),
    guestId: state.guestId,
  };
}

async function stopGuest(client: BridgeClient, guestId: string): Promise<void> {
  const exited = wait(client, (m) => m.type === 'guest-state' && m.guestId === guestId && m.phase === 'exited', 15_000);
  client.send({ type: 'stop', guestId });
  await exited.catch(() => undefined); // already exited (e.g. a failed KVM boot)
}

/** Sends one letter at a time and waits for its echo; returns the round trips in ms. */
async function keystrokes(client: BridgeClient, guestId: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < count; i += 1) {
    const letter = letters[i % letters.length] ?? 'a';
    const echo = wait(client, (m) => m.type === 'output' && m.guestId === guestId && m.data.includes(letter), 5000);
    const t0 = performance.now();
    client.send({ type: 'input', guestId, data: letter });
    await echo;
    samples.push(performance.now() - t0);
    // Ctrl-U every 40 keys keeps the shell's line short (its redraw would add output).
    if (i % 40 === 39) {
      const cleared = wait(client, (m) => m.type === 'output' && m.guestId === guestId, 5000);
      client.send({ type: 'input', guestId, data: '\u0015' });
      await cleared.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return samples;
}

const MICRO_COUNTS: [number, number] = [DEFAULT_MICRO_COUNTS[0], DEFAULT_MICRO_COUNTS[1]];

type MicroOutcome = { ns: number; detail: Record<string, unknown> } | { reason: string };

/** A workload (default `out-loop` at MICRO_COUNTS) under KVM or TCG through the bridge's `micro-run`. */
async function microOnBridge(
  client: BridgeClient,
  accel: 'kvm' | 'tcg',
  repeats: number,
  program: MicroWorkloadName = 'out-loop',
): Promise<MicroOutcome> {
  const ref = `micro-${accel}-${program}`;
  const counts = program === 'out-loop' ? MICRO_COUNTS : microCounts(program, undefined);
  const reply = wait(client, (m) => (m.type === 'micro-run-result' || m.type === 'error') && m.ref === ref, 180_000);
  client.send({ type: 'micro-run', accel, program, counts, repeats, ref });
  const m = await reply;
  if (m.type === 'error') return { reason: `${m.code}: ${JSON.stringify(m.params)}` };
  if (m.type !== 'micro-run-result' || m.nsPerIteration === null) return { reason: JSON.stringify(m) };
  // The guest's own report of the last run (at the higher count) must say it did the work.
  const report = parseMicroReport(m.consoleText);
  const expected = expectedReport(program, counts[1]);
  if (report?.count !== expected.count || report.checksum !== expected.checksum)
    return { reason: `the guest reported ${JSON.stringify(m.consoleText)}, expected ${JSON.stringify(expected)}` };
  if (m.nsPerIteration <= 0) return { reason: `busy host: t(N2) − t(N1) = ${m.nsPerIteration} ns per iteration` };
  return {
    ns: m.nsPerIteration,
    detail: {
      engine: m.engine,
      timer: m.timer,
      runsMicroseconds: m.runs.map((r) => [r.iterations, round(r.microseconds, 1)]),
      exits: m.exits,
    },
  };
}

/** The same ROM in v86 under Node, from node_modules/v86. */
async function microInV86(repeats: number, program: MicroWorkloadName = 'out-loop'): Promise<MicroOutcome> {
  try {
    const compiled = WebAssembly.compile(readFileSync(createRequire(import.meta.url).resolve('v86/build/v86.wasm')));
    const engine: V86Engine = {
      V86,
      wasm: { wasm_fn: async (imports: WebAssembly.Imports) => (await WebAssembly.instantiate(await compiled, imports)).exports },
    };
    const counts = program === 'out-loop' ? MICRO_COUNTS : microCounts(program, undefined);
    const timing = await timeMicroInV86(engine, counts, repeats, undefined, program);
    if (timing.nsPerIteration === null) return { reason: 'no time per iteration' };
    const last = timing.runs.at(-1);
    const report = parseMicroReport(last?.consoleText ?? '');
    const expected = expectedReport(program, counts[1]);
    if (report?.count !== expected.count || report.checksum !== expected.checksum)
      return { reason: `the guest reported ${JSON.stringify(last?.consoleText)}, expected ${JSON.stringify(expected)}` };
    if (timing.nsPerIteration <= 0) return { reason: `busy host: ${timing.nsPerIteration} ns per iteration` };
    return {
      ns: timing.nsPerIteration,
      detail: {
        engine: 'v86 (Node)',
        timer: 'emulator-wall',
        runsMicroseconds: timing.runs.map((r) => [r.iterations, round(r.microseconds, 1)]),
        instructionsAtHigh: timing.runs.find((r) => r.iterations === counts[1])?.instructions ?? null,
      },
    };
  } catch (error) {
    return { reason: String(error) };
  }
}

/** The course's own vbench, built with the guest (npm run guest:build); the only thing run natively. */
const VBENCH = `${REPO}.cache/guest/tools/vbench`;
/** Native runs per vbench workload; the fastest counts, as for the engines. */
const NATIVE_RUNS = 3;

/** One vbench workload natively: the fastest of NATIVE_RUNS runs, or why there is no figure. */
async function nativeFigure(workload: 'cpu' | 'pagefault' | 'syscall' | 'portio'): Promise<Figure & { detail?: unknown }> {
  if (!existsSync(VBENCH)) return { ns: null, reason: `${VBENCH} missing: run npm run guest:build` };
  const samples: number[] = [];
  for (let i = 0; i < NATIVE_RUNS; i += 1) {
    const { stdout } = await promisify(execFile)(VBENCH, [workload], { timeout: 60_000 });
    const line = parseVbench(stdout).find((l) => l.workload === workload);
    if (!line) return { ns: null, reason: `vbench printed no ${workload} line` };
    if (line.skipped) return { ns: null, reason: `vbench ${workload}: ${line.skipped}` };
    if (workload === 'cpu') {
      // The same computation as the compute micro-program: the same checksum for the same count.
      const expected = expectedReport('compute', line.iterations ?? 0).checksum;
      if (Number(line.checksum) !== expected)
        return { ns: null, reason: `vbench cpu checksum ${line.checksum}, expected 0x${expected.toString(16)}` };
    }
    if (typeof line.ns_per_op !== 'number') return { ns: null, reason: `vbench ${workload}: no ns_per_op` };
    samples.push(line.ns_per_op);
  }
  return { ns: Math.min(...samples), detail: { vbench: workload, runs: samples } };
}

/** What the figures were measured on: CPU, whether this host is itself a guest, the KVM module. */
function hostDescription(check: { kvmKind: string }, kvmModule: string): Record<string, unknown> {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: nothing to say
  }
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  return {
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    logicalCpus: (cpuinfo.match(/^processor\s*:/gm) ?? []).length,
    /** `hypervisor` in the CPU flags: this host is itself a virtual machine (nested). */
    hostIsGuest: flags.includes('hypervisor'),
    hardwareVirtualization: flags.includes('vmx') ? 'vmx' : flags.includes('svm') ? 'svm' : null,
    kvmModule,
    kvmKind: check.kvmKind,
  };
}

const busyFigure = (m: MicroOutcome): Figure => ('ns' in m ? { ns: round(m.ns, 2) } : { ns: null, reason: m.reason });

/** Every workload on every engine, one after another (side by side they would share the CPU). */
async function compare(
  client: BridgeClient,
  check: { kvmUsable: boolean; kvmKind: string },
  repeats: number,
): Promise<{ rows: CompareRow[]; detail: Record<string, unknown> }> {
  const rows: CompareRow[] = [];
  const detail: Record<string, unknown> = {};
  for (const workload of COMPARE_WORKLOADS) {
    const micro = MICRO_WORKLOAD[workload];
    const native = await nativeFigure(NATIVE_VBENCH[workload]);
    log(`compare ${workload} native: ${native.ns ?? ('reason' in native ? native.reason : '')}`);
    let kvm: Figure;
    let tcg: Figure;
    let v86: Figure;
    if (micro === null) {
      const reason =
        'needs a kernel: the micro-guest has none (vbench syscall in the Linux guest measures it; bench:guest for v86)';
      kvm = tcg = v86 = { ns: null, reason };
    } else {
      // memory has few iterations (144 pages at most), so a busy moment weighs more: take the most repeats.
      const runs = micro === 'memory' ? MAX_MICRO_REPEATS : repeats;
      const kvmRun: MicroOutcome = check.kvmUsable
        ? await microOnBridge(client, 'kvm', runs, micro)
        : { reason: `/dev/kvm unusable (${check.kvmKind})` };
      const tcgRun = await microOnBridge(client, 'tcg', runs, micro);
      const v86Run = await microInV86(runs, micro);
      [kvm, tcg, v86] = [kvmRun, tcgRun, v86Run].map(busyFigure) as [Figure, Figure, Figure];
      detail[workload] = {
        program: micro,
        repeats: runs,
        counts: micro === 'out-loop' ? MICRO_COUNTS : microCounts(micro, undefined),
        kvm: 'ns' in kvmRun ? kvmRun.detail : null,
        tcg: 'ns' in tcgRun ? tcgRun.detail : null,
        v86: 'ns' in v86Run ? v86Run.detail : null,
      };
      log(`compare ${workload}: kvm ${kvm.ns ?? 'null'}, tcg ${tcg.ns ?? 'null'}, v86 ${v86.ns ?? 'null'} ns/op`);
    }
    rows.push(compareRow(workload, { native: native.ns === null ? native : { ns: round(native.ns, 2) }, kvm, tcg, v86 }));
  }
  return { rows, detail };
}

async function main(): Promise<void> {
  const bridge = await startBridge();
  const client = await connect(bridge.line);
  try {
    const check = await client.hostCheck();
    const kvmModule = String(check.items.find((i) => i.id === 'kvm-module')?.params['module'] ?? 'none');
    log(`host: kvmKind=${check.kvmKind} module=${kvmModule} linuxAccel=${check.linuxAccel}`);
    const host = hostDescription(check, kvmModule);
    const microRepeats = Number(values['micro-repeats']);
    const full = values.only === 'all' ? await bridgeFigures(client, check, kvmModule, microRepeats) : null;

    const measured = await compare(client, check, microRepeats);
    const kvmNote =
      check.kvmKind === 'software'
        ? `${kvmModule} is a software KVM (this host is itself a guest): KVM's instruction emulator runs the micro-guest's real-mode code, so its compute and memory figures are not hardware-assisted speed; on a VT-x/AMD-V host real mode runs on the CPU.`
        : null;
    const linuxGuestKvm =
      full === null
        ? { ns: null, reason: 'not tried (--only compare)' }
        : full.kvmSpawnToPromptMs !== null
          ? { bootMs: full.kvmSpawnToPromptMs }
          : {
              ns: null,
              reason: `the Linux guest did not boot under KVM on this host: ${String(full.kvmSpawnToPromptNullReason)}`,
            };
    const result = {
      ...(full ?? {}),
      host,
      compare: {
        unit: 'ns per operation',
        timing: 'two counts, fastest of the repeats at each, (t(N2) − t(N1)) / (N2 − N1); native: vbench, fastest of 3 runs',
        repeats: microRepeats,
        kvmEngine: 'the KVM API micro-guest (real mode)',
        ...(kvmNote ? { kvmNote } : {}),
        linuxGuestKvm,
        workloads: measured.rows,
        detail: measured.detail,
      },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    client.close();
    await bridge.stop();
  }
}

/** The bridge's own figures: boots, keystrokes, the exit cost and the out-loop micro-program. */
async function bridgeFigures(
  client: BridgeClient,
  check: Awaited<ReturnType<BridgeClient['hostCheck']>>,
  kvmModule: string,
  microRepeats: number,
): Promise<Record<string, unknown> & { kvmSpawnToPromptMs: number | null; kvmSpawnToPromptNullReason?: string }> {
  const tcgSamples: number[] = [];
  let keystrokeSamples: number[] = [];
  const boots = Number(values.boots);
  for (let i = 0; i < boots; i += 1) {
    const result = await bootOnce(client, 'tcg');
    if (!('ms' in result)) throw new Error(`TCG boot failed: ${result.reason}`);
    tcgSamples.push(result.ms);
    log(`TCG boot ${i + 1}/${boots}: ${result.ms.toFixed(0)} ms`);
    if (i === boots - 1) {
      await new Promise((resolve) => setTimeout(resolve, 500)); // let the boot's last output settle
      keystrokeSamples = await keystrokes(client, result.guestId, Number(values.keystrokes));
      log(`keystrokes: ${keystrokeSamples.length}, median ${median(keystrokeSamples).toFixed(3)} ms`);
    }
    await stopGuest(client, result.guestId);
  }

  let kvmSpawnToPromptMs: number | null = null;
  let kvmReason: string | null = null;
  if (!check.kvmUsable) kvmReason = `/dev/kvm unusable (${check.kvmKind})`;
  else {
    const result = await bootOnce(client, 'kvm');
    if ('ms' in result) kvmSpawnToPromptMs = round(result.ms, 0);
    else kvmReason = `${kvmModule} (${check.kvmKind} KVM): ${result.reason}`;
    await stopGuest(client, result.guestId);
    log(`KVM boot: ${kvmSpawnToPromptMs ?? kvmReason}`);
  }

  // Hello KVM as the page runs it: the exit cost unstreamed (after a warm-up, two counts) and the
  // streaming of each listed exit apart from it.
  const exitRuns: { us: number; perSecond: number; streamedUs: number; streamingUs: number | null }[] = [];
  if (check.kvmUsable) {
    for (let i = 0; i < 3; i += 1) {
      // Matched by ref (the client's request): a late `error` for an earlier stop must not count as the answer.
      const m = await client.helloKvm('hello', undefined, () => undefined);
      if (m.microsecondsPerExit === null || m.exitsPerSecond === null) continue; // a busy moment
      exitRuns.push({
        us: m.microsecondsPerExit,
        perSecond: m.exitsPerSecond,
        streamedUs: m.streamedMicrosecondsPerExit,
        streamingUs: m.streamingMicrosecondsPerExit,
      });
      log(
        `hello-kvm: ${m.microsecondsPerExit.toFixed(2)} µs/exit unstreamed, ${m.streamedMicrosecondsPerExit.toFixed(2)} streamed`,
      );
    }
  }
  const streaming = exitRuns.flatMap((r) => (r.streamingUs === null ? [] : [r.streamingUs]));

  // One program, three machines, one after another in this run (side by side they would share the CPU).
  const micro: Record<'kvm' | 'tcg' | 'v86', MicroOutcome> = {
    kvm: check.kvmUsable ? await microOnBridge(client, 'kvm', microRepeats) : { reason: `/dev/kvm unusable (${check.kvmKind})` },
    tcg: await microOnBridge(client, 'tcg', microRepeats),
    v86: await microInV86(microRepeats),
  };
  const microNs = (key: 'kvm' | 'tcg' | 'v86'): number | null => {
    const m = micro[key];
    return 'ns' in m ? round(m.ns, 2) : null;
  };
  for (const [key, m] of Object.entries(micro))
    log(`micro-program ${key}: ${'ns' in m ? `${m.ns.toFixed(2)} ns/iteration` : m.reason}`);
  const kvmNs = microNs('kvm');
  const ratio = (key: 'tcg' | 'v86'): number | null => {
    const ns = microNs(key);
    return ns === null || kvmNs === null || kvmNs <= 0 ? null : Number((ns / kvmNs).toPrecision(3));
  };

  return {
    guest: `${values.guest}/${values.variant}`,
    tcgSpawnToPromptMs: round(median(tcgSamples), 0),
    tcgSpawnToPromptSamplesMs: tcgSamples.map((x) => round(x, 0)),
    kvmSpawnToPromptMs,
    ...(kvmReason ? { kvmSpawnToPromptNullReason: kvmReason } : {}),
    keystrokes: keystrokeSamples.length,
    keystrokeRoundTripMsMedian: round(median(keystrokeSamples)),
    keystrokeRoundTripMsP90: round(quantile(keystrokeSamples, 0.9)),
    /** Unstreamed: out-loop at two counts after a warm-up (hello-kvm's `microsecondsPerExit`). */
    kvmExitMicroseconds: exitRuns.length ? round(median(exitRuns.map((r) => r.us))) : null,
    kvmExitsPerSecond: exitRuns.length ? Math.round(median(exitRuns.map((r) => r.perSecond))) : null,
    /** `hello` with all 12 exits sent to the client: time per exit, sending included. */
    kvmStreamedExitMicroseconds: exitRuns.length ? round(median(exitRuns.map((r) => r.streamedUs))) : null,
    /** What sending one exit to the client adds. */
    kvmStreamingMicrosecondsPerExit: streaming.length ? round(median(streaming)) : null,
    microProgram: { program: 'out-loop', counts: MICRO_COUNTS, repeats: microRepeats },
    microProgramDetail: Object.fromEntries(Object.entries(micro).map(([key, m]) => [key, 'ns' in m ? m.detail : null])),
    microProgramNsPerIteration: {
      kvm: microNs('kvm'),
      tcg: microNs('tcg'),
      v86: microNs('v86'),
      ...Object.fromEntries(Object.entries(micro).flatMap(([key, m]) => ('reason' in m ? [[`${key}NullReason`, m.reason]] : []))),
    },
    microProgramRatios: { tcgOverKvm: ratio('tcg'), v86OverKvm: ratio('v86') },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:bridge failed: ${String(error)}\n`);
  process.exit(1);
});
