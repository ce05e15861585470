import { z } from 'zod';
import { slugSchema } from '../../../schemas/common';

/** The props of the lesson components, checked at build time by `parseProps` (src/site/props.ts). */

/** Text with at least `min` visible characters (kept as written, not trimmed). */
const text = (min: number, message: string) => z.string().refine((s) => s.trim().length >= min, message);

export const CALLOUT_TYPES = ['info', 'warning', 'try'] as const;

export const calloutProps = z
  .object({
    /** The kind of aside; `info` when left out. */
    type: z.enum(CALLOUT_TYPES).default('info'),
    /** The visible title, in the lesson's language. */
    title: text(1, 'must not be empty'),
  })
  .strict();

export const HANDS_ON_KINDS = ['simulator', 'machine', 'kvm-lab'] as const;

export const handsOnProps = z
  .object({
    /** Which interactive part belongs here. */
    kind: z.enum(HANDS_ON_KINDS),
    /** Short title of the activity in the lesson's language. */
    title: text(1, 'must not be empty'),
    /** The interactive part is placed inside this box, so the "not available yet" line is not shown. */
    live: z.boolean().default(false),
  })
  .strict();

export const figureProps = z
  .object({
    /** The SVG source, imported in MDX with `?raw`. */
    svg: z.string().refine((s) => s.trimStart().startsWith('<svg'), 'must be the raw SVG text (import with ?raw)'),
    /** Text alternative: what the figure shows, for screen readers and when images are off. */
    alt: text(10, 'must describe the figure (10 characters at least)'),
  })
  .strict();

export const termProps = z
  .object({
    /** Glossary term id: the file name in content/glossary/ without .yaml. */
    id: slugSchema,
  })
  .strict();

export const summaryProps = z.object({}).strict();
