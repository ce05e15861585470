/** Values for `{name}` placeholders: short strings or numbers only, rendered as text. */
export type FillValues = Readonly<Record<string, string | number | undefined>>;

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * Fills `{name}` placeholders. A placeholder without a value stays visible as `{name}`, so a
 * missing value is noticed on the page instead of silently vanishing.
 *
 * @example fill('Soal {n} dari {total}', { n: 2, total: 5 }) // 'Soal 2 dari 5'
 * @example fill('Soal {n} dari {total}', { n: 2 })           // 'Soal 2 dari {total}'
 */
export function fill(template: string, values: FillValues = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return value === undefined ? whole : String(value);
  });
}

/**
 * The placeholder names of a template, sorted and without repeats (for parity tests).
 *
 * @example placeholders('{b} {a} {b}') // ['a', 'b']
 */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort();
}
