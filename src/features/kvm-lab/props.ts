import { z } from 'zod';
import { LAB_FOCUSES } from './panel';

/** The props of `<KvmLabPanel>` (KvmLabPanel.astro), checked at build time by `parseProps` (src/site/props.ts). */
export const kvmLabPanelProps = z
  .object({
    /** The part of the lab this lesson is about; all parts when left out. */
    focus: z.enum(LAB_FOCUSES).optional(),
  })
  .strict();
