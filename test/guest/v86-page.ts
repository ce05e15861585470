// The page side of the browser PC under Node, for tests of V86Backend (src/features/pc/v86.ts):
// a local HTTP server laid out like the built site (/guest/ and the emulator's wasm), and a
// terminal's view of the console.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, vi } from 'vitest';
import type { VmBackend, VmStatus } from '../../src/features/terminal/backend';
import { matchPrompt } from '../../src/guest/prompt';
import { DIRS, REPO } from '../../scripts/guest/paths.mjs';

export interface SiteServer {
  origin: string;
  /** Paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the server and points `location` (which v86.ts resolves asset URLs against) at it. */
export async function serveSite(): Promise<SiteServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    const file = url.pathname.startsWith('/guest/')
      ? path.join(DIRS.public, path.basename(url.pathname))
      : url.pathname.startsWith('/node_modules/v86/build/')
        ? path.join(REPO, url.pathname)
        : '';
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Length': statSync(file).size, 'Content-Type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  vi.stubGlobal('location', new URL(`${origin}/pelajaran/`));
  return {
    origin,
    requests,
    close: async () => {
      vi.unstubAllGlobals();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Collects a back end's output as text and its status history. */
export function watch(backend: VmBackend) {
  const seen = { text: '', statuses: [] as VmStatus[], speeds: [] as (number | null)[] };
  const decoder = new TextDecoder();
  backend.onOutput((bytes) => (seen.text += decoder.decode(bytes, { stream: true })));
  backend.onStatus((s) => seen.statuses.push(s));
  backend.onSpeed((m) => seen.speeds.push(m));
  return seen;
}

/** Types a command line on the console, as a learner does, and returns what it printed up to the next prompt. */
export async function typeLine(backend: VmBackend, seen: { text: string }, command: string): Promise<string> {
  const from = seen.text.length;
  backend.write(new TextEncoder().encode(`${command}\n`));
  await vi.waitFor(() => expect(matchPrompt(seen.text.slice(from))).not.toBeNull(), { timeout: 30_000, interval: 50 });
  return seen.text.slice(from);
}
