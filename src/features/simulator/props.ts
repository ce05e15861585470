import { z } from 'zod';
import { SIM_MODELS, type SimModel } from './strings';

/** The props of `<Sim>` (Sim.astro), checked at build time by `parseProps` (src/site/props.ts). */
export const simProps = z
  .object({
    /** Which simulator: strategies (lesson 3), cpu-flaw (5), memory (7), overcommit (9), density (10). */
    model: z.enum(SIM_MODELS as [SimModel, ...SimModel[]]),
  })
  .strict();
