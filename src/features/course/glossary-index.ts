/**
 * Pure helpers of the glossary's A–Z bar and filter, shared by the build and the browser.
 */

/**
 * Text for matching: lower case, accents dropped, so "virtualisasi" finds "Virtualisasí".
 * @example foldText('Émulasi CPU') // 'emulasi cpu'
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The heading a term is listed under: its first letter A–Z, or "#" for a digit or sign. */
export function initialLetter(term: string): string {
  const first = foldText(term.trim()).charAt(0).toUpperCase();
  return first >= 'A' && first <= 'Z' ? first : '#';
}

/** The A–Z bar: every letter, and "#" first when some term starts with a digit or sign. */
export function alphabet(letters: Iterable<string>): string[] {
  const all = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
  return new Set(letters).has('#') ? ['#', ...all] : all;
}

/**
 * Whether an entry's text holds every word of the query, in any order.
 * @example matches('Hypervisor tipe 1 …', 'tipe hyper') // true
 */
export function matches(foldedText: string, query: string): boolean {
  const words = foldText(query).split(/\s+/).filter(Boolean);
  return words.every((word) => foldedText.includes(word));
}
