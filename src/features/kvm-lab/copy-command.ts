/**
 * The setup page's copy boxes (CopyCommand.astro): the site's real address in the commands, and a
 * copy that also works where the Clipboard API is missing (plain http:// on a school LAN server is
 * not a secure context, so navigator.clipboard is undefined there).
 */

/**
 * The command with `{origin}` replaced by the address the page was opened from.
 * @example commandFor('curl -fLO {origin}/unduh/a.tar.gz', { protocol: 'http:', origin: 'http://10.0.0.2:8080' })
 *   // → 'curl -fLO http://10.0.0.2:8080/unduh/a.tar.gz'
 */
export function commandFor(template: string, where: { protocol: string; origin: string }): string | null {
  if (where.protocol !== 'http:' && where.protocol !== 'https:') return null;
  return template.replaceAll('{origin}', where.origin);
}

/** Puts the page's own address into a `code[data-command]` (left as built when opened from a file). */
export function fillOrigin(code: HTMLElement, where: { protocol: string; origin: string }): void {
  const command = commandFor(code.dataset['command'] ?? '', where);
  if (command !== null) code.textContent = command;
}

/** Copies the command's text; on failure selects it, so Ctrl+C or a long press can copy it. */
export async function copyCommand(code: HTMLElement): Promise<boolean> {
  const text = code.textContent ?? '';
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied (no permission, page not focused): try the older way below.
  }
  const range = document.createRange();
  range.selectNodeContents(code);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  // The only way to write the clipboard outside a secure context; deprecated, but still supported.
  const copied = document.execCommand('copy');
  if (copied) selection?.removeAllRanges();
  return copied;
}
