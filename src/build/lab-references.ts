/**
 * The references of a guided lab that its zod schema cannot see: the lessons it names, a step text
 * per step and language, and the parts of each step text (2–3 hints, one solution, one "why").
 * Pure: the build (src/build/content.ts) and test/unit/labs-content.test.ts both call it, so a
 * broken lab fails either.
 */
import type { GuidedLab } from '../schemas/guided-lab.ts';
import { LOCALES } from '../i18n/locale.ts';

export interface LabSurroundings {
  /** Lesson keys that exist. */
  readonly lessonKeys: readonly string[];
  /** The lab's step text files, as `<step-id>.<locale>` (from `steps/<step-id>.<locale>.mdx`). */
  readonly stepTexts: readonly string[];
}

/**
 * @example labReferenceProblems('01-x', lab, { lessonKeys: [], stepTexts: [] }) // ['lesson "01-…" does not exist', …]
 */
export function labReferenceProblems(key: string, lab: GuidedLab, around: LabSurroundings): string[] {
  const problems: string[] = [];
  for (const lesson of lab.lessons) {
    if (!around.lessonKeys.includes(lesson))
      problems.push(`${key}: lesson "${lesson}" does not exist (content/lessons/${lesson}/)`);
  }
  const expected = new Set(lab.steps.flatMap((s) => LOCALES.map((l) => `${s.id}.${l}`)));
  for (const name of expected) {
    if (!around.stepTexts.includes(name)) problems.push(`${key}: missing step text labs/${key}/steps/${name}.mdx`);
  }
  for (const name of around.stepTexts) {
    if (!expected.has(name)) problems.push(`${key}: steps/${name}.mdx belongs to no step in lab.yaml`);
  }
  return problems;
}

/** Counts of the step parts, for {@link stepTextProblems}. */
const PART = { hint: /<Hint>/g, solution: /<Solution>/g, why: /<Why>/g };

/**
 * A step text is the task, then 2–3 `<Hint>`, one `<Solution>` and one `<Why>`.
 * @example stepTextProblems('x', 'Do it.\n<Hint>a</Hint>') // ['x: 1 <Hint>, needs 2–3', …]
 */
export function stepTextProblems(where: string, body: string): string[] {
  const count = (re: RegExp) => (body.match(re) ?? []).length;
  const problems: string[] = [];
  const hints = count(PART.hint);
  if (hints < 2 || hints > 3) problems.push(`${where}: ${hints} <Hint>, needs 2–3`);
  if (count(PART.solution) !== 1) problems.push(`${where}: needs exactly one <Solution>`);
  if (count(PART.why) !== 1) problems.push(`${where}: needs exactly one <Why>`);
  const firstPart = body.search(/<(Hint|Solution|Why)>/);
  if (firstPart >= 0 && body.slice(0, firstPart).trim().length < 20)
    problems.push(`${where}: the task (text before the first hint) is missing`);
  return problems;
}
