/**
 * The same micro-program bytes outside KVM: the generated 64 KiB ROM boots in real QEMU (TCG) and in
 * v86 (under Node, from node_modules/v86), prints the same text as the KVM micro-guest, halts at the
 * program's `hlt`, and v86's instruction count shows the loop ran exactly N times.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { V86 } from 'v86';
import { describe, expect, it } from 'vitest';
import { expectedReport, HELLO_TEXT, parseMicroReport } from '../../../src/protocol/micro-programs.ts';
import { runMicroInQemu } from '../../../src/kvm-bridge/micro-qemu.ts';
import { microHaltedEip } from '../../../src/protocol/micro-rom.ts';
import { prepareRuntimeDir } from '../../../src/kvm-bridge/runtime-dir.ts';
import { runMicroInV86, timeMicroInV86, type V86Engine } from '../../../src/features/kvm-lab/micro-v86.ts';
import { isAlive, leftoverGuestDirs, waitFor } from '../kvm-bridge/support/bridge-process.ts';

/** qemu-system processes started by this test process (QEMU runs under setpriv, which execs it). */
function qemuChildren(parent: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const status = readFileSync(`/proc/${e}/status`, 'utf8');
        return Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === parent && /^Name:\s+qemu-system/m.test(status);
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

const wasm = readFileSync(createRequire(import.meta.url).resolve('v86/build/v86.wasm'));
const compiled = WebAssembly.compile(wasm);
const engine: V86Engine = {
  V86,
  wasm: { wasm_fn: async (imports: WebAssembly.Imports) => (await WebAssembly.instantiate(await compiled, imports)).exports },
};

describe('the micro ROM in QEMU TCG', () => {
  const runtimeDir = prepareRuntimeDir().path;
  it('hello prints its text on COM1 and halts right after its hlt; nothing is left behind', async () => {
    const before = leftoverGuestDirs();
    const run = await runMicroInQemu({ program: 'hello', iterations: 1, runtimeDir });
    expect(run.consoleText).toBe(HELLO_TEXT);
    expect(run.haltedEip).toBe(microHaltedEip('hello'));
    expect(run.microseconds).toBeGreaterThan(0);
    expect(() => process.kill(run.pid, 0)).toThrow();
    expect(leftoverGuestDirs().filter((d) => !before.includes(d))).toEqual([]);
  });

  it('an aborted run kills QEMU, removes its directory and rejects with the reason', async () => {
    const before = leftoverGuestDirs();
    const controller = new AbortController();
    // 4e9 iterations: minutes of TCG, so the abort surely comes first.
    const run = runMicroInQemu({ program: 'out-loop', iterations: 4_000_000_000, runtimeDir, signal: controller.signal });
    await waitFor(() => qemuChildren(process.pid).length > 0, 15_000, 'QEMU to start');
    const [pid] = qemuChildren(process.pid) as [number];
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the program run
    controller.abort(new Error('stop now'));
    await expect(run).rejects.toThrow('stop now');
    expect(isAlive(pid)).toBe(false);
    expect(leftoverGuestDirs().filter((d) => !before.includes(d))).toEqual([]);
  });
});

describe('the micro ROM in v86', () => {
  it('hello prints the same text as under KVM', async () => {
    const run = await runMicroInV86(engine, 'hello', 1);
    expect(run.consoleText).toBe(HELLO_TEXT);
  });

  it('out-loop: 4 instructions per iteration (out, inc, dec, jnz), times grow with N', async () => {
    const timing = await timeMicroInV86(engine, [20_000, 200_000], 3);
    const low = timing.runs.filter((r) => r.iterations === 20_000);
    const high = timing.runs.filter((r) => r.iterations === 200_000);
    expect(low).toHaveLength(3);
    // Same stub, same program around the loop, same report: only the loop's 4 × N instructions differ.
    for (const h of high) for (const l of low) expect(h.instructions - l.instructions).toBe(4 * 180_000);
    expect(parseMicroReport(high[0]?.consoleText ?? '')).toEqual(expectedReport('out-loop', 200_000));
    expect(Math.min(...high.map((r) => r.microseconds))).toBeGreaterThan(Math.min(...low.map((r) => r.microseconds)));
    expect(timing.nsPerIteration).toBeGreaterThan(1);
    expect(timing.nsPerIteration).toBeLessThan(10_000);
  }, 60_000);

  it.each([
    ['compute', 5000],
    ['memory', 144],
  ] as const)('%s: the guest reports its own count and the checksum computed here', async (program, n) => {
    const run = await runMicroInV86(engine, program, n);
    expect(parseMicroReport(run.consoleText)).toEqual(expectedReport(program, n));
  });
});
