/**
 * "The last output" for the Copy button when nothing is selected (selecting text by touch in a
 * terminal is fiddly): what the last finished command printed, between its prompt line and the
 * prompt the shell drew after it. Reads the lines as the terminal shows them.
 */

/** A prompt line of the course's guest (PS1 `\w \$ `, see src/guest/prompt.ts): `~ # ls`, `/tmp $ `. */
const PROMPT_LINE = /^[~/]\S* [#$](?: |$)/;

/**
 * @example lastOutput(['~ # uname -m', 'i686', '~ # ']) // → 'i686'
 * @example lastOutput(['~ # ']) // → null (no command has finished yet)
 */
export function lastOutput(lines: readonly string[]): string | null {
  const prompts = lines.flatMap((line, i) => (PROMPT_LINE.test(line) ? [i] : []));
  const current = prompts.at(-1);
  const previous = prompts.at(-2);
  if (current === undefined || previous === undefined) return null;
  const output = lines
    .slice(previous + 1, current)
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  return output === '' ? null : output;
}

/** The parts of an xterm buffer {@link bufferLines} reads. */
interface BufferLike {
  readonly length: number;
  getLine(y: number): { readonly isWrapped: boolean; translateToString(trimRight?: boolean): string } | undefined;
}

/** The terminal's lines (scrollback and screen), a line the terminal wrapped joined back into one. */
export function bufferLines(buffer: BufferLike): string[] {
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const line = buffer.getLine(y);
    if (!line) continue;
    const text = line.translateToString(true);
    if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  return lines;
}
