/**
 * `npm run bench:bridge` — measures the KVM bridge end to end, through the real bridge process and
 * its WebSocket, and prints one JSON object as the last line of stdout:
 *
 *   tcgSpawnToPromptMs          start (TCG) → guest-state `running` (median of --boots runs)
 *   kvmSpawnToPromptMs          the same under -accel kvm, or null with `kvmSpawnToPromptNullReason`
 *   keystrokeRoundTripMsMedian  one key sent as `input` → its echo back as `output` (≥ 100 keys)
 *   kvmExitMicroseconds         micro-guest `out-loop`: wall time per VM exit (median of 3 runs)
 *   kvmExitsPerSecond           the same run, exits per second
 *   microProgramNsPerIteration  the same `out-loop` bytes timed under KVM and QEMU TCG (bridge `micro-run`)
 *                               and v86 (here, under Node, the same ROM): (t(N2) − t(N1)) / (N2 − N1)
 *                               from the medians of --micro-repeats runs at each count, one engine
 *                               after another; null with `<engine>NullReason` where one cannot run
 *   microProgramRatios          tcg/kvm and v86/kvm of those times
 *
 * Uses the course guest (src/kvm-bridge/machines/ + .cache/guest/out/) unless --machines-dir/--guest-dir/--guest say
 * otherwise. Benchmarks are not tests: numbers vary with the machine; compare ratios.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { V86 } from 'v86';
import { connectBridge, parseBridgeUrl, type BridgeClient } from '../src/protocol/client.ts';
import { DEFAULT_MICRO_COUNTS, DEFAULT_MICRO_REPEATS } from '../src/protocol/micro-timing.ts';
import type { ServerMessage } from '../src/protocol/schema.ts';
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
  },
});

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

/** `out-loop` under KVM or TCG through the bridge's `micro-run`. */
async function microOnBridge(client: BridgeClient, accel: 'kvm' | 'tcg', repeats: number): Promise<MicroOutcome> {
  const ref = `micro-${accel}`;
  const reply = wait(client, (m) => (m.type === 'micro-run-result' || m.type === 'error') && m.ref === ref, 120_000);
  client.send({ type: 'micro-run', accel, program: 'out-loop', counts: MICRO_COUNTS, repeats, ref });
  const m = await reply;
  if (m.type === 'error') return { reason: `${m.code}: ${JSON.stringify(m.params)}` };
  if (m.type !== 'micro-run-result' || m.nsPerIteration === null) return { reason: JSON.stringify(m) };
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
async function microInV86(repeats: number): Promise<MicroOutcome> {
  try {
    const compiled = WebAssembly.compile(readFileSync(createRequire(import.meta.url).resolve('v86/build/v86.wasm')));
    const engine: V86Engine = {
      V86,
      wasm: { wasm_fn: async (imports: WebAssembly.Imports) => (await WebAssembly.instantiate(await compiled, imports)).exports },
    };
    const timing = await timeMicroInV86(engine, MICRO_COUNTS, repeats);
    if (timing.nsPerIteration === null) return { reason: 'no time per iteration' };
    return {
      ns: timing.nsPerIteration,
      detail: {
        engine: 'v86 (Node)',
        timer: 'emulator-wall',
        runsMicroseconds: timing.runs.map((r) => [r.iterations, round(r.microseconds, 1)]),
        instructionsAtHigh: timing.runs.find((r) => r.iterations === MICRO_COUNTS[1])?.instructions ?? null,
      },
    };
  } catch (error) {
    return { reason: String(error) };
  }
}

async function main(): Promise<void> {
  const bridge = await startBridge();
  const client = await connect(bridge.line);
  try {
    const check = await client.hostCheck();
    const kvmModule = String(check.items.find((i) => i.id === 'kvm-module')?.params['module'] ?? 'none');
    log(`host: kvmKind=${check.kvmKind} module=${kvmModule} linuxAccel=${check.linuxAccel}`);

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

    const exitRuns: { us: number; perSecond: number; exits: number }[] = [];
    if (check.kvmUsable) {
      for (let i = 0; i < 3; i += 1) {
        // Matched by ref (the client's request): a late `error` for an earlier stop must not count as the answer.
        const m = await client.helloKvm('out-loop', 200_000, () => undefined);
        exitRuns.push({ us: m.microsecondsPerExit, perSecond: m.exitsPerSecond, exits: m.totalExits });
        log(`micro-guest: ${m.totalExits} exits, ${m.microsecondsPerExit.toFixed(2)} µs/exit`);
      }
    }

    // One program, three machines, one after another in this run (side by side they would share the CPU).
    const microRepeats = Number(values['micro-repeats']);
    const micro: Record<'kvm' | 'tcg' | 'v86', MicroOutcome> = {
      kvm: check.kvmUsable
        ? await microOnBridge(client, 'kvm', microRepeats)
        : { reason: `/dev/kvm unusable (${check.kvmKind})` },
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

    const result = {
      guest: `${values.guest}/${values.variant}`,
      host: { kvmKind: check.kvmKind, kvmModule },
      tcgSpawnToPromptMs: round(median(tcgSamples), 0),
      tcgSpawnToPromptSamplesMs: tcgSamples.map((x) => round(x, 0)),
      kvmSpawnToPromptMs,
      ...(kvmReason ? { kvmSpawnToPromptNullReason: kvmReason } : {}),
      keystrokes: keystrokeSamples.length,
      keystrokeRoundTripMsMedian: round(median(keystrokeSamples)),
      keystrokeRoundTripMsP90: round(quantile(keystrokeSamples, 0.9)),
      kvmExitMicroseconds: exitRuns.length ? round(median(exitRuns.map((r) => r.us))) : null,
      kvmExitsPerSecond: exitRuns.length ? Math.round(median(exitRuns.map((r) => r.perSecond))) : null,
      kvmExitsPerRun: exitRuns[0]?.exits ?? null,
      microProgram: { program: 'out-loop', counts: MICRO_COUNTS, repeats: microRepeats },
      microProgramDetail: Object.fromEntries(Object.entries(micro).map(([key, m]) => [key, 'ns' in m ? m.detail : null])),
      microProgramNsPerIteration: {
        kvm: microNs('kvm'),
        tcg: microNs('tcg'),
        v86: microNs('v86'),
        ...Object.fromEntries(
          Object.entries(micro).flatMap(([key, m]) => ('reason' in m ? [[`${key}NullReason`, m.reason]] : [])),
        ),
      },
      microProgramRatios: { tcgOverKvm: ratio('tcg'), v86OverKvm: ratio('v86') },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    client.close();
    await bridge.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:bridge failed: ${String(error)}\n`);
  process.exit(1);
});
