// Benches run TypeScript with plain `node` (type stripping: erasable syntax, explicit `.ts`
// imports). The shared modules they import must load that way, or a bench fails before it measures.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

describe('modules the benches import load in plain Node', () => {
  it.each([
    ['scripts/lib/chromium.ts', 'launchChromium'],
    ['scripts/lib/stats.ts', 'median'],
    ['scripts/lib/bridge-socket.ts', 'nodeBridgeSocket'],
    ['src/protocol/client.ts', 'connectBridge'],
  ])('%s', (module, name) => {
    const exported = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import('./${module}'); process.stdout.write(typeof m.${name});`],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(exported).toBe('function');
  });
});
