/**
 * Recognising the guest's shell prompt in its serial output.
 *
 * The guest's /etc/profile sets PS1 to `\w \$ `, so root in its home directory sees `~ # `.
 * busybox ash sends `ESC[6n` (a cursor-position query) right after drawing the prompt;
 * a terminal answers it, a test harness need not. A matcher must allow it.
 */

/** Cursor-position query that busybox ash writes after its prompt. */
export const CURSOR_POSITION_QUERY = '\u001b[6n';

// A prompt line: start of output or a line break, a path (`~…` or `/…`, no spaces), `#` or `$`, one
// space, the optional query, then the end of the output so far.
// eslint-disable-next-line no-control-regex -- ESC is part of what ash sends
const PROMPT_AT_END = /(?:^|[\r\n])([~/]\S*) ([#$]) (?:\u001b\[6n)?$/;

/**
 * Whether serial output so far ends with a shell prompt, and which.
 * @example matchPrompt('...login\r\n~ # \u001b[6n') // → { cwd: '~', root: true }
 * @example matchPrompt('~ # ls') // → null (the learner is typing)
 */
export function matchPrompt(output: string): { cwd: string; root: boolean } | null {
  const m = PROMPT_AT_END.exec(output);
  if (!m) return null;
  return { cwd: m[1] ?? '', root: m[2] === '#' };
}

/**
 * Removes the cursor-position queries ash sends, for comparing or showing captured output.
 * @example stripCursorQueries('~ # \u001b[6n') // → '~ # '
 */
export function stripCursorQueries(output: string): string {
  return output.split(CURSOR_POSITION_QUERY).join('');
}
