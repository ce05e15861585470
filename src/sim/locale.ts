/**
 * The two course languages. Kept here (and not imported from the site's schemas)
 * so `src/sim` compiles on its own, without zod or DOM types.
 */
export type Locale = 'id' | 'en';

/** A piece of text in both course languages. */
export interface Bilingual {
  readonly id: string;
  readonly en: string;
}
