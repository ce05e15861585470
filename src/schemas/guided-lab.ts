import { z } from 'zod';
import { lessonKeySchema, slugSchema } from './common.ts';
import { levelSchema } from './lesson.ts';

/**
 * A guided lab, the student's unit of practice: `labs/<NN-slug>/lab.yaml` plus one MDX file per
 * step and language, `labs/<NN-slug>/steps/<step-id>.<id|en>.mdx` (the step's task, its hints,
 * solution and "why this worked"; see labs/README.md). Not to be confused with the KVM bridge's
 * machine definitions (src/schemas/bridge-machine.ts).
 */

/** A text in both languages: Indonesian first. */
export const localizedTextSchema = z
  .object({
    /** Indonesian. */
    id: z.string().min(1),
    /** English. */
    en: z.string().min(1),
  })
  .strict();
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** A guided lab's key: its folder name, `NN-slug`, e.g. `01-kenali-mesin`. NN orders the lab index. */
export const labKeySchema = z.string().regex(/^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a lab folder name such as 01-kenali-mesin');

/** Where a lab runs: the browser PC (v86), the simulator (src/sim), or real QEMU/KVM through the bridge. */
export const RUNS_ON = ['pc', 'simulator', 'kvm'] as const;
export const runsOnSchema = z.enum(RUNS_ON);
export type RunsOn = z.infer<typeof runsOnSchema>;

/** Core: every student does it. Enrichment: deeper, for the curious and for teachers who want more. */
export const LAB_PATHS = ['core', 'enrichment'] as const;
export const labPathSchema = z.enum(LAB_PATHS);

/**
 * One rule over a probe's result (`{ exitCode, output }`); a check passes when all its rules hold.
 * `missing` is what the student reads when the rule fails: say what is still missing, not "wrong".
 */
export const probeRuleSchema = z.union([
  z
    .object({
      /** The probe script must exit with this code. */
      exitCode: z.number().int().min(0).max(255),
      missing: localizedTextSchema,
    })
    .strict(),
  z
    .object({
      /** A regular expression (JavaScript syntax, multiline) the output must match. */
      match: z.string().min(1),
      missing: localizedTextSchema,
    })
    .strict(),
  z
    .object({
      /** A regular expression (JavaScript syntax, multiline) the output must not match. */
      noMatch: z.string().min(1),
      missing: localizedTextSchema,
    })
    .strict(),
]);
export type ProbeRule = z.infer<typeof probeRuleSchema>;

/**
 * A check that runs a shell script in the machine, out of band (the browser PC's lab agent on its
 * second serial port, or the bridge's guest): never on the student's console, never in its history.
 */
const probeCheckFields = {
  /** The `sh` script, run as root in /root with stdin from /dev/null. Keep it read-only. */
  probe: z.string().min(1).max(4000),
  /** Rules over the result, all must hold, checked in this order. */
  expect: z.array(probeRuleSchema).min(1).max(8),
};

/** The simulator checks that exist (pure functions in src/features/labs/sim-checks.ts). */
export const SIM_CHECKS = [
  'flaw-diverges',
  'stopped-at-divergence',
  'flaw-fixed',
  'predict-exits',
  'ran-program',
  'program-with-exits',
] as const;
export const simCheckNameSchema = z.enum(SIM_CHECKS);
export type SimCheckName = z.infer<typeof simCheckNameSchema>;

export const stepCheckSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pc'), ...probeCheckFields }).strict(),
  z.object({ kind: z.literal('kvm'), ...probeCheckFields }).strict(),
  z
    .object({
      kind: z.literal('simulator'),
      /** Which pure check reads the simulator's state. */
      check: simCheckNameSchema,
      /** Its parameters (each check says which it reads, e.g. `guest`, `exits`). Default: none. */
      params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    })
    .strict(),
]);
export type StepCheck = z.infer<typeof stepCheckSchema>;

export const labStepSchema = z
  .object({
    /** Stable within the lab (progress is stored under it): rename a step only with a migration. */
    id: slugSchema,
    /** How the step is checked. */
    check: stepCheckSchema,
  })
  .strict();
export type LabStep = z.infer<typeof labStepSchema>;

/** The simulator model a simulator lab embeds (the models of src/features/simulator/Sim.astro). */
export const LAB_SIM_MODELS = ['cpu-flaw', 'strategies'] as const;

export const guidedLabSchema = z
  .object({
    /** Title of the lab page and of its entry in the index. */
    title: localizedTextSchema,
    /** One or two sentences for the index and `<meta name="description">`. */
    description: localizedTextSchema,
    /** URL slug per language: `/lab/<id>/`, `/en/labs/<en>/`. */
    urlSlug: z.object({ id: slugSchema, en: slugSchema }).strict(),
    /**
     * The lessons this lab belongs to, by lesson key (each must exist). The one source of the link:
     * a lesson's "Praktik" list is derived from it.
     */
    lessons: z.array(lessonKeySchema).min(1),
    /** Estimated time in minutes. */
    minutes: z.number().int().min(5).max(120),
    level: levelSchema,
    path: labPathSchema,
    runsOn: runsOnSchema,
    /** Simulator labs only: the model the page embeds. */
    simulator: z.enum(LAB_SIM_MODELS).optional(),
    /** `kvm` labs only: what a student without a bridge sees and does instead. */
    withoutBridge: localizedTextSchema.optional(),
    /** The steps, in order, at least three. */
    steps: z.array(labStepSchema).min(3).max(12),
  })
  .strict()
  .superRefine((lab, ctx) => {
    const seen = new Set<string>();
    lab.steps.forEach((step, index) => {
      if (seen.has(step.id))
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: `duplicate step id "${step.id}"` });
      seen.add(step.id);
      if (step.check.kind !== lab.runsOn) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'check', 'kind'],
          message: `a ${lab.runsOn} lab needs ${lab.runsOn} checks`,
        });
      }
      if (step.check.kind !== 'simulator') {
        for (const [r, rule] of step.check.expect.entries()) {
          const pattern = 'match' in rule ? rule.match : 'noMatch' in rule ? rule.noMatch : null;
          if (pattern === null) continue;
          try {
            new RegExp(pattern, 'm');
          } catch (error) {
            ctx.addIssue({
              code: 'custom',
              path: ['steps', index, 'check', 'expect', r],
              message: `not a valid regular expression: ${String(error)}`,
            });
          }
        }
      }
    });
    if ((lab.runsOn === 'simulator') !== (lab.simulator !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['simulator'], message: 'simulator labs, and only they, name their simulator model' });
    }
    if ((lab.runsOn === 'kvm') !== (lab.withoutBridge !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['withoutBridge'],
        message: 'kvm labs, and only they, say what a student without a bridge does',
      });
    }
  });
export type GuidedLab = z.infer<typeof guidedLabSchema>;

/** Frontmatter of a step file `labs/<lab>/steps/<step-id>.<locale>.mdx`. */
export const labStepTextSchema = z
  .object({
    /** The step's short title, e.g. "Mount the image". */
    title: z.string().min(3).max(90),
  })
  .strict();
