// The browser's VmBackend (src/features/pc/v86.ts) driving the real v86 and the real image, in
// Node: the same code path as in the page, minus xterm. Files come over HTTP from a local
// server laid out like the built site (v86-page.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VmError } from '../../src/features/terminal/backend';
import { V86Backend } from '../../src/features/pc/v86';
import { builtMachine, readGuestFiles } from './harness';
import { serveSite, typeLine as type, watch, type SiteServer } from './v86-page';

let site: SiteServer;
let origin = '';
let requests: string[] = [];

beforeAll(async () => {
  readGuestFiles(['bios', 'kernel', 'state']); // fails with the build command if missing
  site = await serveSite();
  ({ origin, requests } = site);
});

afterAll(async () => {
  await site?.close();
});

describe('V86Backend', () => {
  it('restores the snapshot, runs commands, reports speed, resizes, pauses and resets', async () => {
    const backend = new V86Backend({ assetBase: '/guest/', machine: builtMachine() });
    const seen = watch(backend);
    try {
      await backend.start(new AbortController().signal, 'snapshot');
      await vi.waitFor(() => expect(backend.status.state).toBe('running'), { timeout: 20_000 });

      // One progress figure over the files downloading at once, ending with all of them.
      const loading = seen.statuses.filter((s) => s.state === 'loading');
      const last = loading.at(-1);
      expect(last?.state === 'loading' && last.file.split(' + ').sort()).toEqual(['state.bin.zst', 'v86.wasm']);
      expect(last?.state === 'loading' && last.total !== null && last.loaded === last.total).toBe(true);
      expect(requests).not.toContain('/guest/bzImage'); // a restore needs no kernel

      expect(await type(backend, seen, 'echo "hello $((6*7))"')).toContain('hello 42');

      await vi.waitFor(() => expect(seen.speeds.some((m) => m !== null && m > 0)).toBe(true), { timeout: 10_000 });

      backend.resize(120, 40);
      await vi.waitFor(async () => expect(await type(backend, seen, 'stty size')).toContain('40 120'), { timeout: 15_000 });

      await backend.pause();
      expect(backend.status.state).toBe('paused');
      const frozen = seen.text.length;
      backend.write(new TextEncoder().encode('echo typed-while-paused\n'));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seen.text.length).toBe(frozen); // a paused CPU echoes nothing
      await backend.resume();
      await vi.waitFor(() => expect(seen.text.slice(frozen)).toContain('typed-while-paused'), { timeout: 10_000 });

      await type(backend, seen, 'touch /root/made-before-reset');
      await backend.reset(new AbortController().signal);
      await vi.waitFor(() => expect(backend.status.state).toBe('running'), { timeout: 20_000 });
      expect(await type(backend, seen, 'ls /root; echo listed')).not.toContain('made-before-reset');
    } finally {
      await backend.dispose();
    }
    expect(backend.status.state).toBe('disposed');
  });

  it('boots from scratch to the prompt', async () => {
    const backend = new V86Backend({ assetBase: '/guest/', machine: builtMachine() });
    const seen = watch(backend);
    try {
      await backend.start(new AbortController().signal, 'cold');
      await vi.waitFor(() => expect(backend.status.state).toBe('running'), { timeout: 90_000, interval: 100 });
      expect(seen.text).toMatch(/Linux version 6\.1/);
      expect(seen.statuses.map((s) => s.state)).toContain('booting');
    } finally {
      await backend.dispose();
    }
  });

  it('names the file that failed to download', async () => {
    const backend = new V86Backend({ assetBase: '/missing/', machine: builtMachine() });
    const seen = watch(backend);
    const error = await backend.start(new AbortController().signal, 'snapshot').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VmError);
    expect(error).toMatchObject({ code: 'asset-failed', asset: `${origin}/missing/state.bin.zst` });
    expect(seen.statuses.at(-1)).toMatchObject({ state: 'error', code: 'asset-failed' });
    await backend.dispose();
  });

  it('stops loading when aborted and goes back to idle', async () => {
    const backend = new V86Backend({ assetBase: '/guest/', machine: builtMachine() });
    const controller = new AbortController();
    const started = backend.start(controller.signal, 'cold');
    controller.abort();
    await expect(started).rejects.toMatchObject({ name: 'AbortError' });
    expect(backend.status.state).toBe('idle');
    await backend.dispose();
  });
});
