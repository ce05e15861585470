import { fill, type FillValues } from './fill.ts';
import type { Locale } from './locale.ts';

/**
 * The one string-table format of the course, as Starlight keeps one dictionary per language: a
 * table holds one flat `key → text` record per locale, Indonesian first. Declare the Indonesian
 * record `as const`, derive the key type from it, and make the English record `satisfies
 * Record<Key, string>` so a missing key is a compile error:
 *
 *   const id = { 'quiz.check': 'Periksa jawaban' } as const;
 *   type QuizKey = keyof typeof id;
 *   const en = { 'quiz.check': 'Check answers' } as const satisfies Record<QuizKey, string>;
 *   export const quizStrings = { id, en } as const satisfies StringTable<QuizKey>;
 *
 * Texts may hold `{name}` placeholders, filled by {@link fill}; both languages of a key use the
 * same placeholders (test/unit/i18n/parity.test.ts checks every table).
 */
export type StringTable<K extends string = string> = { readonly [L in Locale]: Readonly<Record<K, string>> };

/** A translator for one language of one table: `t(key, values)`, like Starlight's `locals.t`. */
export type Translate<K extends string> = (key: K, values?: FillValues) => string;

/**
 * @example
 * const t = translator(quizStrings, 'en');
 * t('quiz.score', { score: 3, total: 5 }) // 'Score: 3 of 5'
 */
export function translator<K extends string>(table: StringTable<K>, locale: Locale): Translate<K> {
  const texts: Readonly<Record<K, string>> = table[locale];
  return (key, values) => fill(texts[key], values);
}
