import { z } from 'zod';

/** The props of `<BrowserPc>` (BrowserPcBox.astro), checked at build time by `parseProps` (src/site/props.ts). */
export const browserPcProps = z
  .object({
    /** A command shown to the learner as the first one to type, e.g. `cpuid-info`: one line, not empty. */
    command: z
      .string()
      .refine((s) => s.trim() !== '' && !/[\r\n]/.test(s), 'must be one command on one line')
      .optional(),
  })
  .strict();
