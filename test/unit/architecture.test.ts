/**
 * The layout's boundaries (eslint.boundaries.js) fail the lint when breached: each rule is shown
 * refusing an import that crosses it and letting an import that stays inside pass. ESLint runs
 * with the project's own config on probe sources named as files in each folder.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

// The probes are not files of the TypeScript project, so the type-aware rules are switched off.
const eslint = new ESLint({
  overrideConfig: [{ ...tseslint.configs.disableTypeChecked, languageOptions: { parserOptions: { projectService: false } } }],
});

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, { filePath });
  const messages = result?.messages ?? [];
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${filePath}: ${fatal.message}`);
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('boundaries fail the lint', () => {
  it.each([
    ['src/features/pc/probe.ts', "import { readFileSync } from 'node:fs';", /Node built-ins/],
    ['src/features/pc/probe.ts', "import { join } from 'path';", /Node built-ins/],
    [
      'src/features/kvm-lab/Probe.svelte',
      '<script lang="ts">import { servedMachine } from \'../../build/guest-manifest\';</script>',
      /src\/build/,
    ],
    ['src/site/probe.ts', "import { startServer } from '../kvm-bridge/server.ts';", /src\/kvm-bridge/],
    ['src/protocol/probe.ts', "import { kvmLabText } from '../features/kvm-lab/strings.ts';", /shared by the bridge and the page/],
    ['src/guest/probe.ts', "import { spawn } from 'node:child_process';", /Node built-ins/],
    ['src/kvm-bridge/probe.ts', "import { pcText } from '../features/pc/strings.ts';", /imports nothing from the site/],
    ['src/sim/probe.ts', "import { ui } from '../site/strings';", /nothing outside src\/sim/],
    ['src/sim/memory/probe.ts', "import { x } from '../../protocol/schema.ts';", /nothing outside src\/sim/],
    ['src/sim/strategies/bt/probe.ts', "import { x } from '../../../i18n/routes.ts';", /nothing outside src\/sim/],
    ['src/sim/memory/probe.ts', "import { scaleLinear } from 'd3-scale';", /no package/],
    ['src/sim/probe.ts', "import { readFileSync } from 'node:fs';", /no package/],
    ['src/protocol/probe.ts', "import { WS_PATH } from './constants';", /write the file extension/],
    ['src/kvm-bridge/probe.ts', "import { parseClientMessage } from '../protocol/schema';", /write the file extension/],
  ])('%s: %s is refused', async (file, code, why) => {
    const found = await restricted(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(why);
  });

  it.each([
    ['src/features/pc/probe.ts', "import { matchPrompt } from '../../guest/prompt';"],
    ['src/features/kvm-lab/probe.ts', "import { parseServerMessage } from '../../protocol/schema';"],
    ['src/features/pc/probe.ts', "import V86 from 'v86';\nimport wasm from 'v86/build/v86.wasm?url';"],
    [
      'src/kvm-bridge/probe.ts',
      "import { readFileSync } from 'node:fs';\nimport { parseClientMessage } from '../protocol/schema.ts';",
    ],
    ['src/build/probe.ts', "import { readFileSync } from 'node:fs';\nimport { pcText } from '../features/pc/strings';"],
    ['src/sim/memory/probe.ts', "import { createRng } from '../random.ts';"],
    ['src/sim/strategies/bt/probe.ts', "import { step } from '../../machine/execute.ts';"],
  ])('%s: %s passes', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
