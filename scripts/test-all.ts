/**
 * Runs the project's check stages one after another and reports every one, failing at the end.
 * A red stage never hides the stages after it: `npm test` runs all four test tiers even when
 * the first is red, and `./course test` adds lint, the type checks and the build in front.
 *
 *   node scripts/test-all.ts                         unit, guest, e2e, integration
 *   node scripts/test-all.ts lint check build unit   the stages named, in that order
 *
 * Tests skipped on this host (no usable KVM, say) are listed by name in the summary: their
 * names carry the reason ("… (skipped: /dev/kvm is kvm_pvm …)"), so a green run that skipped
 * them says so loudly instead of hiding it in a count.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Stage = { npm: string } | { tier: string; needs?: string };
const STAGES: Record<string, Stage> = {
  lint: { npm: 'lint' },
  check: { npm: 'check' },
  build: { npm: 'build' },
  unit: { tier: 'unit' },
  guest: { tier: 'guest' },
  // The e2e tier drives the built site: with a red build there is nothing to drive.
  e2e: { tier: 'e2e', needs: 'build' },
  integration: { tier: 'integration' },
};

const names = process.argv.slice(2);
const wanted = names.length > 0 ? names : ['unit', 'guest', 'e2e', 'integration'];
const unknown = wanted.filter((n) => !(n in STAGES));
if (unknown.length > 0) {
  console.error(`test-all: unknown stage ${unknown.join(', ')}; stages: ${Object.keys(STAGES).join(' ')}`);
  process.exit(2);
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
interface Outcome {
  name: string;
  status: 'passed' | 'failed' | 'not run';
  seconds: number;
  counts?: Counts;
  /** Full names of the tests skipped on this host. */
  skipped?: string[];
  why?: string;
}
/** The part of vitest's JSON report read here. */
interface Report {
  testResults?: { assertionResults?: { status: string; fullName?: string; title: string; ancestorTitles?: string[] }[] }[];
}
const outcomes: Outcome[] = [];
const reports = mkdtempSync(join(tmpdir(), 'lab-virt-tests-'));

/** Counts and skipped names from vitest's JSON report, or null when it wrote none. */
function readReport(file: string): { counts: Counts; skipped: string[] } | null {
  let report: Report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch {
    return null;
  }
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  const skipped: string[] = [];
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'passed') counts.passed += 1;
      else if (test.status === 'failed') counts.failed += 1;
      else {
        counts.skipped += 1;
        skipped.push(test.fullName ?? [...(test.ancestorTitles ?? []), test.title].join(' › '));
      }
    }
  }
  return { counts, skipped };
}

for (const name of wanted) {
  const stage = STAGES[name];
  if (!stage) continue;
  const needs = 'needs' in stage ? stage.needs : undefined;
  const blocker = needs ? outcomes.find((o) => o.name === needs && o.status !== 'passed') : undefined;
  if (blocker) {
    outcomes.push({ name, status: 'not run', seconds: 0, why: `${needs} ${blocker.status}` });
    continue;
  }
  console.log(`\n\x1b[1m[test-all]\x1b[0m ${name}`);
  const started = Date.now();
  const report = join(reports, `${name}.json`);
  const run =
    'npm' in stage
      ? spawnSync('npm', ['run', '--silent', stage.npm], { stdio: 'inherit' })
      : spawnSync(
          'vitest',
          ['run', '--project', stage.tier, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
          { stdio: 'inherit' },
        );
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const parsed = 'tier' in stage ? readReport(report) : null;
  const outcome: Outcome = { name, status: run.status === 0 ? 'passed' : 'failed', seconds };
  if (run.error) outcome.why = run.error.message;
  else if (run.status !== 0) outcome.why = run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
  if (parsed) {
    outcome.counts = parsed.counts;
    outcome.skipped = parsed.skipped;
  }
  outcomes.push(outcome);
}
rmSync(reports, { recursive: true, force: true });

const mark = { passed: '\x1b[32m✓\x1b[0m', failed: '\x1b[31m✗\x1b[0m', 'not run': '\x1b[33m–\x1b[0m' };
console.log('\n\x1b[1m[test-all] summary\x1b[0m');
for (const o of outcomes) {
  const counts = o.counts ? ` ${o.counts.passed} passed, ${o.counts.failed} failed, ${o.counts.skipped} skipped` : '';
  const why = o.why ? ` (${o.why})` : '';
  console.log(`  ${mark[o.status]} ${o.name.padEnd(12)} ${o.status}${counts}${o.seconds ? ` in ${o.seconds} s` : ''}${why}`);
}
const skipped = outcomes.flatMap((o) => (o.skipped ?? []).map((t) => `${o.name}: ${t}`));
if (skipped.length > 0) {
  console.log(`\n\x1b[1;33m[test-all] ${skipped.length} test(s) skipped on this host\x1b[0m — not verified here:`);
  for (const line of skipped) console.log(`  - ${line}`);
}
const red = outcomes.filter((o) => o.status !== 'passed');
if (red.length > 0) {
  console.log(`\n\x1b[1;31m[test-all] red: ${red.map((o) => o.name).join(', ')}\x1b[0m`);
  process.exit(1);
}
console.log('\n\x1b[1;32m[test-all] all green\x1b[0m');
