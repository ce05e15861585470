/**
 * The course's languages: the one `Locale` type of the project. Plain TypeScript (no zod, no
 * DOM), so every part of the site, the bridge and the tests can import it.
 */
export const LOCALES = ['id', 'en'] as const;

/** A course language: Bahasa Indonesia (`id`, the default) or English (`en`). */
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'id';

/**
 * The page's language from Astro's `currentLocale` (or any string); anything that is not a course
 * language falls back to Indonesian.
 *
 * @example toLocale('en') // 'en'
 * @example toLocale(undefined) // 'id'
 */
export function toLocale(value: string | undefined): Locale {
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : DEFAULT_LOCALE;
}

/**
 * The BCP 47 tag `Intl` formats numbers and dates with: Indonesian digits `1.234,5`, British
 * English `1,234.5`.
 */
export const intlTag = (locale: Locale): string => (locale === 'id' ? 'id-ID' : 'en-GB');
