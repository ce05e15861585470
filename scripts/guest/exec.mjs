// @ts-check
/** Running build commands: lines to a callback as they come, the tail kept for errors. */
import { spawn } from 'node:child_process';

/**
 * Runs `cmd args…` and resolves with its stdout when it exits with 0. On failure the error
 * message ends with the last lines it printed, so a failed kernel build shows its error.
 * @param {string} cmd
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, onLine?: (line: string) => void, input?: string }} [options]
 * @returns {Promise<string>}
 */
export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    /** @type {string[]} */
    const tail = [];
    let stdout = '';
    /** @param {boolean} isStdout */
    const reader = (isStdout) => {
      let partial = '';
      return (/** @type {Buffer} */ chunk) => {
        const text = chunk.toString('utf8');
        if (isStdout) stdout += text;
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line);
          if (tail.length > 40) tail.shift();
          options.onLine?.(line);
        }
      };
    };
    // stdout and stderr are pipes (see stdio above), never null.
    child.stdout?.on('data', reader(true));
    child.stderr?.on('data', reader(false));
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', (error) =>
      reject(new Error(`${cmd}: ${error.message}${'code' in error && error.code === 'ENOENT' ? ' (not installed?)' : ''}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`));
    });
  });
}
