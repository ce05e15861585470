/**
 * `micro-run` (protocol 3 on): the micro-guest program timed under QEMU TCG (the same bytes as a 64 KiB
 * BIOS) and under KVM, through the real bridge. TCG: the serial output, the halt at the program's
 * end, times that grow with the loop count, and no QEMU process or private directory left behind,
 * also when the client leaves in the middle of a run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvmUnusableReason } from '../../support/kvm.ts';
import { expectedReport, HELLO_TEXT, parseMicroReport } from '../../../src/protocol/micro-programs.ts';
import {
  isAlive,
  leftoverGuestDirs,
  startBridgeProcess,
  TestClient,
  waitFor,
  type BridgeProcess,
} from './support/bridge-process.ts';

/** qemu-system processes whose parent is `parent` (QEMU runs under setpriv, which execs it). */
function qemuChildren(parent: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      if (ppid === parent && /^Name:\s+qemu-system/m.test(status)) found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** Collects every QEMU the bridge starts while `work` runs. */
async function watchingQemu<T>(bridgePid: number, work: () => Promise<T>): Promise<{ result: T; seen: number[] }> {
  const seen = new Set<number>();
  const timer = setInterval(() => qemuChildren(bridgePid).forEach((pid) => seen.add(pid)), 10);
  try {
    return { result: await work(), seen: [...seen] };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The leave and Ctrl-C tests need a run still going when they act: 5 × (999 999 + 1 000 000) loop
 * iterations, above the default bound on one request (security.test.ts tests that bound).
 */
const LONG_RUNS = ['--max-micro-iterations', '10000000'];

describe('micro-run under QEMU TCG', () => {
  let bridge: BridgeProcess;
  let client: TestClient;
  let dirsBefore: string[];
  beforeAll(async () => {
    dirsBefore = leftoverGuestDirs();
    bridge = await startBridgeProcess(LONG_RUNS);
    client = await TestClient.connect(bridge);
  });
  afterAll(async () => {
    await client.close();
    expect(await bridge.stop()).toBe(0);
  });

  it('hello: the program’s text arrives on COM1, with no exits to count; QEMU and its directory are gone after', async () => {
    const { result: done, seen } = await watchingQemu(bridge.pid, async () => {
      client.send({ type: 'micro-run', accel: 'tcg', program: 'hello', repeats: 1, ref: 'th' });
      return client.next<'micro-run-result'>((m) => m.type === 'micro-run-result' || m.type === 'error', 30_000);
    });
    expect(done).toMatchObject({
      type: 'micro-run-result',
      ref: 'th',
      accel: 'tcg',
      program: 'hello',
      timer: 'vcpu-thread-runnable',
    });
    expect(done.consoleText).toBe(HELLO_TEXT);
    expect(done.engine).toMatch(/^QEMU \d+\.\d+\.\d+$/);
    expect(done.exits).toBeNull();
    expect(done.nsPerIteration).toBeNull();
    expect(done.runs).toHaveLength(1);
    expect(done.runs[0]).toMatchObject({ iterations: null, exits: null });
    expect(done.runs[0]?.microseconds).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter(isAlive)).toEqual([]);
    expect(leftoverGuestDirs().filter((d) => !dirsBefore.includes(d))).toEqual([]);
  });

  it('out-loop: runs alternate between both counts, the larger count takes longer, time per iteration is plausible', async () => {
    const counts: [number, number] = [50_000, 500_000];
    const { result: done, seen } = await watchingQemu(bridge.pid, async () => {
      client.send({ type: 'micro-run', accel: 'tcg', program: 'out-loop', counts, repeats: 3, ref: 'tl' });
      return client.next<'micro-run-result'>((m) => m.type === 'micro-run-result' || m.type === 'error', 60_000);
    });
    expect(done.type).toBe('micro-run-result');
    expect(done.runs.map((r) => r.iterations)).toEqual([50_000, 500_000, 50_000, 500_000, 50_000, 500_000]);
    expect(parseMicroReport(done.consoleText)).toEqual(expectedReport('out-loop', 500_000)); // the last run's own count
    const at = (n: number): number => Math.min(...done.runs.filter((r) => r.iterations === n).map((r) => r.microseconds));
    // Ten times the iterations: clearly more time (the loop dominates), monotonic in N.
    expect(at(500_000)).toBeGreaterThan(at(50_000) * 2);
    const ns = done.nsPerIteration ?? Number.NaN;
    expect(ns).toBeCloseTo(((at(500_000) - at(50_000)) * 1000) / 450_000, 6);
    // An emulated `out` plus dec/jnz: more than a nanosecond, far less than a KVM exit's microseconds.
    expect(ns).toBeGreaterThan(1);
    expect(ns).toBeLessThan(2000);
    expect(seen.length).toBeGreaterThanOrEqual(6); // one QEMU per run
    expect(seen.filter(isAlive)).toEqual([]);
    expect(leftoverGuestDirs().filter((d) => !dirsBefore.includes(d))).toEqual([]);
  }, 60_000);

  it('refuses bad counts and repeats with a clear message, and one micro-run at a time', async () => {
    client.sendUnchecked({ type: 'micro-run', accel: 'tcg', counts: [5000, 5000], ref: 'bad1' });
    const equal = await client.next<'error'>((m) => m.type === 'error');
    expect(equal).toMatchObject({ code: 'bad-message' });
    expect(String(equal.params['detail'])).toContain('the first loop count must be smaller than the second');
    client.sendUnchecked({ type: 'micro-run', accel: 'tcg', repeats: 6 });
    const repeats = await client.next<'error'>((m) => m.type === 'error');
    expect(repeats.code).toBe('bad-message');
    expect(String(repeats.params['detail'])).toMatch(/^repeats: /);
    client.sendUnchecked({ type: 'micro-run', accel: 'hvf' });
    const accel = await client.next<'error'>((m) => m.type === 'error');
    expect(accel.code).toBe('bad-message');
    expect(String(accel.params['detail'])).toMatch(/^accel: /);

    client.send({ type: 'micro-run', accel: 'tcg', counts: [1000, 2000], repeats: 2, ref: 'first' });
    client.send({ type: 'micro-run', accel: 'tcg', ref: 'second' });
    expect(await client.next((m) => m.type === 'error' && m.ref === 'second', 30_000)).toMatchObject({
      code: 'too-many-guests',
      params: { max: 1 },
    });
    expect(
      await client.next((m) => (m.type === 'micro-run-result' || m.type === 'error') && m.ref === 'first', 30_000),
    ).toMatchObject({ type: 'micro-run-result' });
  }, 60_000);

  it('a client that leaves mid-run takes its QEMU with it', async () => {
    const other = await TestClient.connect(bridge);
    other.send({ type: 'micro-run', accel: 'tcg', counts: [999_999, 1_000_000], repeats: 5 });
    await waitFor(() => qemuChildren(bridge.pid).length > 0, 15_000, 'a micro-run QEMU to start');
    const running = qemuChildren(bridge.pid);
    await other.close();
    await waitFor(
      () => running.every((pid) => !isAlive(pid)) && qemuChildren(bridge.pid).length === 0,
      10_000,
      'the QEMU to die with its client',
    );
    await waitFor(() => leftoverGuestDirs().filter((d) => !dirsBefore.includes(d)).length === 0, 10_000, 'its directory to go');
    // The slot is free again.
    client.send({ type: 'micro-run', accel: 'tcg', program: 'hello', repeats: 1, ref: 'after' });
    expect(
      await client.next((m) => (m.type === 'micro-run-result' || m.type === 'error') && m.ref === 'after', 30_000),
    ).toMatchObject({ type: 'micro-run-result' });
  }, 60_000);

  it('Ctrl-C during a run: the bridge kills its QEMU, removes the directory and exits 0', async () => {
    const own = await startBridgeProcess(LONG_RUNS);
    try {
      const c = await TestClient.connect(own);
      c.send({ type: 'micro-run', accel: 'tcg', counts: [999_999, 1_000_000], repeats: 5 });
      await waitFor(() => qemuChildren(own.pid).length > 0, 15_000, 'a micro-run QEMU to start');
      const running = qemuChildren(own.pid);
      expect(await own.stop('SIGINT')).toBe(0);
      for (const pid of running) expect(isAlive(pid)).toBe(false);
      expect(leftoverGuestDirs().filter((d) => !dirsBefore.includes(d))).toEqual([]);
      await c.closed;
    } finally {
      await own.stop('SIGKILL'); // only if a step above failed: no bridge outlives the test
    }
  });

  it('QEMU missing → qemu-missing naming the binary', async () => {
    const empty = await startBridgeProcess(['--qemu-dir', '/nonexistent-qemu-dir']);
    try {
      const c = await TestClient.connect(empty);
      c.send({ type: 'micro-run', accel: 'tcg', ref: 'm' });
      expect(await c.next((m) => m.type === 'error', 15_000)).toMatchObject({
        ref: 'm',
        code: 'qemu-missing',
        params: { binary: '/nonexistent-qemu-dir/qemu-system-i386' },
      });
      await c.close();
    } finally {
      expect(await empty.stop()).toBe(0);
    }
  });
});

const unusable = kvmUnusableReason();

describe.skipIf(unusable !== null)(`micro-run under KVM${unusable ? ` (skipped: ${unusable})` : ''}`, () => {
  it('out-loop: N I/O exits and one HLT per run, µs per exit, time per iteration from both counts', async () => {
    const bridge = await startBridgeProcess();
    try {
      const client = await TestClient.connect(bridge);
      client.send({ type: 'micro-run', accel: 'kvm', counts: [2000, 20_000], repeats: 2, ref: 'k' });
      const done = await client.next<'micro-run-result'>((m) => m.type === 'micro-run-result' || m.type === 'error', 60_000);
      expect(done).toMatchObject({
        type: 'micro-run-result',
        accel: 'kvm',
        timer: 'kvm-run-loop',
        consoleText: '00004e20 00004e20\n',
      });
      // Each loop iteration is one exit; the report adds 18 console exits, then the HLT.
      expect(done.runs.map((r) => [r.iterations, r.exits])).toEqual([
        [2000, 2019],
        [20_000, 20_019],
        [2000, 2019],
        [20_000, 20_019],
      ]);
      expect(done.exits).toMatchObject({ total: 20_019, counts: { io: 20_018, hlt: 1 } });
      expect(done.exits?.microsecondsPerExit).toBeGreaterThan(0);
      expect(done.nsPerIteration).toBeGreaterThan(0);
      expect(done.engine).not.toBe('');
      await client.close();
    } finally {
      expect(await bridge.stop()).toBe(0);
    }
  }, 60_000);
});
