/** The Indonesian style sheet of content/README.md as a check, shared by the lesson and lab content tests. */

/**
 * The style sheet in content/README.md: one term for one thing in Indonesian prose. Each
 * rejected word with the word to use instead.
 */
export const REJECTED: [RegExp, string][] = [
  [/\btamu\b/i, 'guest'],
  [/\bperamban\b/i, 'browser'],
  [/\bberkas\b/i, 'file'],
  [/\bgalat\b/i, 'error'],
  [/\binterrupts?\b/i, 'interupsi'],
  [/\bprivileged\b/i, 'istimewa'],
  [/\bsensitive\b/i, 'sensitif'],
  [/\bcontainers?\b/i, 'kontainer'],
];
/** Proper names that contain a rejected word (Intel's names for VMX features). */
const PROPER_NAMES = [/posted interrupts?/gi, /External-interrupt exiting/gi, /Interrupt-window exiting/gi, /Linux Containers/g];

/** Text as prose: no code, URLs, italic English glosses or words quoted to be explained. */
export function ourWords(text: string): string {
  let t = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/<T id="[^"]*">/g, ' ')
    .replace(/^import .*$/gm, ' ')
    .replace(/\{\w+\}/g, ' ') // placeholders such as {container}
    .replace(/(?<!\*)\*(?!\*)[^*\n]+(?<!\*)\*(?!\*)/g, ' ')
    .replace(/["“][\p{L}-]+["”]/gu, ' ')
    .replace(/\b[a-z]+(-[a-z]+)+\b/g, ' '); // ids such as guest-os, privileged-instruction
  for (const name of PROPER_NAMES) t = t.replace(name, ' ');
  return t;
}

export function rejectedIn(where: string, text: string): string[] {
  const words = ourWords(text);
  return REJECTED.flatMap(([re, use]) => {
    const m = re.exec(words);
    return m
      ? [`${where}: "${m[0]}" → ${use} (…${words.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\s+/g, ' ')}…)`]
      : [];
  });
}
