// @ts-check
/**
 * Reading Linux kernel config fragments, and checking that a finished `.config` has every
 * option a fragment asked for. Kconfig drops an option whose dependencies are not met
 * without a word, so the build checks instead of trusting.
 */

/**
 * The options a fragment sets: `CONFIG_X=value` and `# CONFIG_X is not set` (as 'n').
 * Other comments and blank lines are ignored.
 * @example parseConfig('CONFIG_TTY=y\n# CONFIG_RD_GZIP is not set\n# a comment')
 *   // → Map { 'CONFIG_TTY' => 'y', 'CONFIG_RD_GZIP' => 'n' }
 * @param {string} text
 * @returns {Map<string, string>}
 */
export function parseConfig(text) {
  /** @type {Map<string, string>} */
  const options = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const set = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (set?.[1] && set[2] !== undefined) options.set(set[1], set[2]);
    const unset = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line);
    if (unset?.[1]) options.set(unset[1], 'n');
  }
  return options;
}

/**
 * Options of `fragment` that `config` does not have as asked. An option absent from a
 * `.config` counts as 'n' (that is how Kconfig writes options whose menu is hidden).
 * @example configMismatches('CONFIG_A=y\nCONFIG_B=y', 'CONFIG_A=y\n# CONFIG_B is not set')
 *   // → [{ option: 'CONFIG_B', wanted: 'y', got: 'n' }]
 * @param {string} fragment
 * @param {string} config
 */
export function configMismatches(fragment, config) {
  const have = parseConfig(config);
  return [...parseConfig(fragment)]
    .map(([option, wanted]) => ({ option, wanted, got: have.get(option) ?? 'n' }))
    .filter(({ wanted, got }) => wanted !== got);
}

/**
 * Names the file a kernel build line is about, for counting and showing progress.
 * @example buildStepTarget('  CC      kernel/fork.o') // → 'kernel/fork.o'
 * @example buildStepTarget('make[2]: Nothing to be done') // → null
 * @param {string} line
 * @returns {string | null}
 */
export function buildStepTarget(line) {
  const m = /^ {2}([A-Z][A-Z0-9_]*(?: \[[A-Z]\])?)\s+(\S+)$/.exec(line);
  return m?.[2] ?? null;
}
