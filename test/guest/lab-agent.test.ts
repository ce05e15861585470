// Guided labs' checks in the browser PC: V86Backend.probe runs a script through lab-agent on
// the second serial port (scripts/guest/init.sh), in the real guest restored from the snapshot
// as the page does. A check must read the machine's real state, leave no trace on the console
// or in the shell's history, and not be fooled by what the learner types.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { V86Backend } from '../../src/features/pc/v86';
import { builtMachine, readGuestFiles } from './harness';
import { serveSite, typeLine, watch, type SiteServer } from './v86-page';

let site: SiteServer;
let backend: V86Backend;
let seen: ReturnType<typeof watch>;

beforeAll(async () => {
  readGuestFiles(['state']); // fails with the build command if missing
  site = await serveSite();
  backend = new V86Backend({ assetBase: '/guest/', machine: builtMachine() });
  seen = watch(backend);
  const started = performance.now();
  await backend.start(new AbortController().signal, 'snapshot');
  await vi.waitFor(() => expect(backend.status.state).toBe('running'), { timeout: 20_000 });
  console.log(`snapshot to prompt: ${Math.round(performance.now() - started)} ms`);
});

afterAll(async () => {
  await backend?.dispose();
  await site?.close();
});

/** Waits until the guest has been quiet on the console for a moment, and returns all it printed. */
async function settled(): Promise<string> {
  let length = -1;
  await vi.waitFor(
    () => {
      const now = seen.text.length;
      const quiet = now === length;
      length = now;
      expect(quiet).toBe(true);
    },
    { timeout: 10_000, interval: 300 },
  );
  return seen.text;
}

describe('V86Backend.probe', () => {
  it('reads the real state of the machine, which the console changed', async () => {
    expect(await backend.probe('test -e /root/dibuat')).toMatchObject({ exitCode: 1, output: '' });
    await typeLine(backend, seen, 'touch /root/dibuat');
    expect(await backend.probe('test -e /root/dibuat')).toMatchObject({ exitCode: 0, output: '' });
    const where = await backend.probe('pwd; id -u; echo "$HOME"; ls /root');
    expect(where.output).toMatch(/^\/root\n0\n\/root\n(.+\n)*dibuat\n/);
  });

  it('answers quickly', async () => {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      await backend.probe("grep -q ' / ' /proc/mounts");
      times.push(performance.now() - started);
    }
    const median = times.sort((a, b) => a - b)[3] ?? 0;
    console.log(`probe round trip: median ${Math.round(median)} ms, ${times.map(Math.round).join(' ')}`);
    expect(median).toBeLessThan(2000); // loose: a shared CI machine; the benchmark's target is 300 ms
  });

  it('carries any bytes back: NULs, newlines, invalid UTF-8, stderr, and cuts long output at the cap', async () => {
    const answer = await backend.probe("printf 'a\\000b\\n\\r\\377\\n'; echo salah >&2; exit 7");
    expect(answer.exitCode).toBe(7);
    expect([...answer.bytes]).toEqual([
      ...new TextEncoder().encode('a\0b\n\r'),
      0xff,
      0x0a,
      ...new TextEncoder().encode('salah\n'),
    ]);
    expect(answer.truncated).toBe(false);

    const long = await backend.probe('head -c 20000 /dev/zero | tr "\\0" x');
    expect(long).toMatchObject({ exitCode: 0, truncated: true });
    expect(long.output).toBe('x'.repeat(16384));
  });

  it('leaves nothing on the console nor in the shell history', async () => {
    const before = await settled();
    const answer = await backend.probe('echo penanda-probe-71; echo penanda-probe-72 >&2');
    expect(answer.output).toBe('penanda-probe-71\npenanda-probe-72\n');
    expect(await settled()).toBe(before);
    const history = await typeLine(backend, seen, 'history; cat ~/.ash_history 2>/dev/null; echo selesai');
    expect(history).toContain('selesai');
    expect(history).not.toContain('penanda-probe');
    expect(seen.text).not.toContain('penanda-probe');
  });

  it('is not fooled by the learner typing what a passing check would print', async () => {
    const check = "grep -q ' /mnt/tipuan ' /proc/mounts && echo terpasang";
    expect(await backend.probe(check)).toMatchObject({ exitCode: 1, output: '' });
    await typeLine(backend, seen, 'echo terpasang; echo "probe x 0 11 dGVycGFzYW5nCg=="');
    await typeLine(backend, seen, 'echo "probe x 0 11 dGVycGFzYW5nCg==" > /dev/ttyS1');
    expect(await backend.probe(check)).toMatchObject({ exitCode: 1, output: '' });
  });

  it('cannot be answered by the probed script itself', async () => {
    // The script gets no handle on the agent's port; a forged line to the device has the wrong id.
    const answer = await backend.probe('echo "probe x 0 0 " >&3; ls /proc/self/fd; exit 1');
    expect(answer.exitCode).toBe(1);
    expect(answer.output).toMatch(/3: Bad file descriptor/);
  });

  it('rejects cleanly when the agent does not answer in time, and the next check still works', async () => {
    await expect(backend.probe('sleep 30', undefined, { timeoutMs: 1000 })).rejects.toThrow(
      /lab-agent did not answer the check within 1 s/,
    );
    // The guest's own limit ends that script; the next probe waits for the agent, then answers.
    expect(await backend.probe('echo lagi')).toMatchObject({ exitCode: 0, output: 'lagi\n' });
    await expect(backend.probe('sleep 30; echo never')).rejects.toThrow(/did not finish within 10 s in the guest/);
    // Nothing the killed script started is left running.
    expect((await backend.probe('ps | grep -c "[s]leep 30"')).output).toBe('0\n');
  });

  it('stops on abort, and keeps window sizes working on the same port', async () => {
    const controller = new AbortController();
    const pending = backend.probe('sleep 2', controller.signal);
    controller.abort(new Error('step left'));
    await expect(pending).rejects.toThrow('step left');
    backend.resize(111, 33);
    await vi.waitFor(async () => expect(await typeLine(backend, seen, 'stty size')).toContain('33 111'), { timeout: 15_000 });
    expect((await backend.probe('stty -F /dev/ttyS0 size')).output).toBe('33 111\n');
  });

  it('rejects at once on a machine that is not running', async () => {
    const idle = new V86Backend({ assetBase: '/guest/', machine: builtMachine() });
    await expect(idle.probe('true')).rejects.toThrow(/not running \(idle\)/);
    await backend.pause();
    await expect(backend.probe('true')).rejects.toThrow(/not running \(paused\)/);
    await backend.resume();
    expect(await backend.probe('true')).toMatchObject({ exitCode: 0 });
    await idle.dispose();
  });
});
