// @ts-check
/**
 * `npm run bench`: runs every `bench:<area>` script of package.json one after another
 * and prints, as the last line, one JSON object with each area's result.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** @returns {string[]} the names of package.json scripts */
function scriptNames() {
  const pkg = /** @type {unknown} */ (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')));
  const scripts = typeof pkg === 'object' && pkg !== null && 'scripts' in pkg ? pkg.scripts : {};
  return typeof scripts === 'object' && scripts !== null ? Object.keys(scripts) : [];
}
const areas = scriptNames().filter((name) => name.startsWith('bench:'));
/** @type {Record<string, unknown>} */
const results = {};
for (const script of areas) {
  const run = spawnSync('npm', ['run', '--silent', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    results[script.slice('bench:'.length)] = run.status === 0 ? JSON.parse(last) : { error: `exit ${run.status}` };
  } catch {
    results[script.slice('bench:'.length)] = { error: 'no JSON on the last line' };
  }
}
console.log(JSON.stringify(results));
