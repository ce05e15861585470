// Every guided lab that runs in the browser PC, in the real guest restored from the snapshot as the
// page does, checked through lab-agent exactly as the lab page checks it (V86Backend.probe and the
// lab's own rules): on a fresh machine every check fails; text typed on the console that looks like
// a check's answer still fails it; the step's own solution (the sh block of its <Solution>, typed on
// the console line by line) makes it pass, step after step.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guidedLabSchema, type GuidedLab } from '../../src/schemas/guided-lab';
import { evaluateProbe } from '../../src/features/labs/probe';
import { V86Backend } from '../../src/features/pc/v86';
import { labKeys, readLabStep, readLabYaml } from '../support/content';
import { builtMachine, readGuestFiles } from './harness';
import { serveSite, typeLine, watch, type SiteServer } from './v86-page';

const pcLabs = labKeys()
  .map((key) => ({ key, lab: guidedLabSchema.parse(readLabYaml(key)) }))
  .filter(({ lab }) => lab.runsOn === 'pc');

/** The command lines of a step's solution: the sh code block inside its <Solution>. */
function solutionLines(key: string, stepId: string): string[] {
  const step = readLabStep(key, stepId, 'id');
  const solution = /<Solution>([\s\S]*?)<\/Solution>/.exec(step?.body ?? '')?.[1] ?? '';
  const code = /```sh\n([\s\S]*?)```/.exec(solution)?.[1] ?? '';
  return code.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

/** Runs a step's check as the lab page does. */
async function check(backend: V86Backend, step: GuidedLab['steps'][number]) {
  if (step.check.kind !== 'pc') throw new Error(`step ${step.id} is not a pc check`);
  return evaluateProbe(step.check.expect, await backend.probe(step.check.probe));
}

let site: SiteServer | undefined;
let backend: V86Backend | undefined;
afterEach(async () => {
  await backend?.dispose();
  await site?.close();
  backend = undefined;
  site = undefined;
});

async function freshMachine() {
  readGuestFiles(['state']); // fails with the build command if missing
  site = await serveSite();
  const b = new V86Backend({ assetBase: '/guest/', machine: builtMachine() });
  backend = b;
  const seen = watch(b);
  await b.start(new AbortController().signal, 'snapshot');
  await vi.waitFor(() => expect(b.status.state).toBe('running'), { timeout: 30_000 });
  return { b, seen };
}

describe('browser-PC labs', () => {
  it('there are some', () => {
    expect(pcLabs.length).toBeGreaterThanOrEqual(2);
  });

  for (const { key, lab } of pcLabs) {
    it(`${key}: nothing done and look-alike text fail every check; each solution passes its step`, async () => {
      const { b, seen } = await freshMachine();
      for (const step of lab.steps) {
        expect((await check(b, step)).passed, `${step.id} passes on a fresh machine`).toBe(false);
      }
      // What a check's rules look for, typed on the console: the machine's state does not change.
      for (const step of lab.steps) {
        if (step.check.kind !== 'pc') continue;
        for (const rule of step.check.expect) {
          const text = 'match' in rule ? rule.match : 'noMatch' in rule ? rule.noMatch : String(rule.exitCode);
          await typeLine(b, seen, `echo '${text.replace(/[\\^$'|()[\]]/g, '')}'`);
        }
      }
      for (const step of lab.steps) {
        expect((await check(b, step)).passed, `${step.id} passes after echoing its patterns`).toBe(false);
      }
      for (const step of lab.steps) {
        const lines = solutionLines(key, step.id);
        expect(lines.length, `${step.id} has a solution`).toBeGreaterThan(0);
        for (const line of lines) await typeLine(b, seen, line);
        const verdict = await check(b, step);
        expect(verdict.missing, `${step.id} after its solution (console:\n${seen.text.slice(-800)})`).toEqual([]);
        expect(verdict.passed).toBe(true);
      }
    }, 240_000);
  }
});
