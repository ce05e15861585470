import { z } from 'zod';

/** One language's text of a glossary entry. */
export const glossaryTextSchema = z
  .object({
    /** The term as written in this language, e.g. "Mesin virtual". */
    term: z.string().min(1),
    /** Other spellings or abbreviations the learner may meet, e.g. ["VM"]. Default: none. */
    aliases: z.array(z.string().min(1)).default([]),
    /** One sentence, shown in the hover/focus tooltip in lessons (max 200 characters). */
    short: z.string().min(10).max(200),
    /** A fuller explanation for the glossary page (plain text, paragraphs separated by blank lines). */
    long: z.string().min(20),
  })
  .strict();

/**
 * One glossary entry, `content/glossary/<term-id>.yaml`; the file name is the term id
 * that lessons reference with `<T id="term-id">`.
 */
export const glossarySchema = z
  .object({
    id: glossaryTextSchema,
    en: glossaryTextSchema,
    /** Other term ids worth reading next. Default: none. */
    related: z.array(z.string()).default([]),
  })
  .strict();
export type GlossaryEntry = z.infer<typeof glossarySchema>;
