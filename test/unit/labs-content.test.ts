/**
 * Guided labs are data and are checked as such: every labs/<key>/lab.yaml against its schema, its
 * lessons, step texts in both languages with their parts (2–3 hints, a solution, a "why"), known
 * glossary terms, the Indonesian style sheet, unique URLs, and simulator checks whose parameters
 * work. The same reference checks run at build time (src/build/lab-references.ts).
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { guidedLabSchema, labStepTextSchema, type GuidedLab } from '../../src/schemas/guided-lab';
import { labReferenceProblems, stepTextProblems } from '../../src/build/lab-references';
import { exitsUnderHardwareAssist } from '../../src/features/labs/sim-checks';
import { glossaryIds, labKeys, labStepFiles, lessonKeys, readLabStep, readLabYaml } from '../support/content';
import { rejectedIn } from '../support/style';

const keys = labKeys();
const lessons = lessonKeys();
const terms = new Set(glossaryIds());

const parsed = (key: string): GuidedLab => guidedLabSchema.parse(readLabYaml(key));
const stepTexts = (key: string) => labStepFiles(key).map((f) => f.replace(/\.mdx$/, ''));

describe('guided labs', () => {
  it('exist: at least two simulator labs and two browser-PC labs', () => {
    const labs = keys.map(parsed);
    expect(labs.filter((l) => l.runsOn === 'simulator').length).toBeGreaterThanOrEqual(2);
    expect(labs.filter((l) => l.runsOn === 'pc').length).toBeGreaterThanOrEqual(2);
  });

  it.each(keys)('%s: valid lab.yaml, lessons and step texts resolve', (key) => {
    const result = guidedLabSchema.safeParse(readLabYaml(key));
    expect(result.error?.issues ?? []).toEqual([]);
    if (!result.success) return;
    expect(labReferenceProblems(key, result.data, { lessonKeys: lessons, stepTexts: stepTexts(key) })).toEqual([]);
  });

  it.each(keys)('%s: each step text has a title, its parts, known terms, and plain Indonesian', (key) => {
    const lab = parsed(key);
    const problems: string[] = [];
    for (const step of lab.steps) {
      for (const locale of ['id', 'en'] as const) {
        const file = readLabStep(key, step.id, locale);
        if (!file) continue; // reported by the test above
        const front = labStepTextSchema.safeParse(file.frontmatter);
        if (!front.success) problems.push(`${file.path}: ${front.error.issues[0]?.message ?? ''}`);
        problems.push(...stepTextProblems(file.path, file.body));
        for (const [, id] of file.body.matchAll(/<T id="([^"]+)">/g))
          if (!terms.has(id ?? '')) problems.push(`${file.path}: unknown term ${id}`);
        if (locale === 'id') problems.push(...rejectedIn(file.path, file.body));
      }
    }
    problems.push(...rejectedIn(`${key}/lab.yaml`, `${lab.title.id}\n${lab.description.id}`));
    expect(problems).toEqual([]);
  });

  it('URL slugs are unique per language', () => {
    const labs = keys.map(parsed);
    for (const locale of ['id', 'en'] as const) expect(new Set(labs.map((l) => l.urlSlug[locale])).size).toBe(labs.length);
  });

  it('simulator checks get the parameters they read: programs assemble, exit counts are numbers', () => {
    for (const key of keys) {
      for (const step of parsed(key).steps) {
        if (step.check.kind !== 'simulator') continue;
        const { params } = step.check;
        if ('program' in params)
          expect(() => exitsUnderHardwareAssist(String(params['program'])), `${key}/${step.id}`).not.toThrow();
        if (step.check.check === 'program-with-exits') expect(typeof params['exits'], `${key}/${step.id}`).toBe('number');
        if (step.check.check.startsWith('flaw') || step.check.check === 'stopped-at-divergence')
          expect(params['guest']).toBe('popf-flaw');
      }
    }
  });
});

describe('a broken lab is caught', () => {
  const base = parseYaml(`
title: { id: Lab uji, en: Test lab }
description: { id: Sebuah lab untuk menguji pemeriksaan., en: A lab to test the checks. }
urlSlug: { id: uji, en: test }
lessons: [01-apa-itu-virtualisasi]
minutes: 10
level: beginner
path: core
runsOn: pc
steps:
  - { id: a, check: { kind: pc, probe: 'true', expect: [{ exitCode: 0, missing: { id: x, en: x } }] } }
  - { id: b, check: { kind: pc, probe: 'true', expect: [{ exitCode: 0, missing: { id: x, en: x } }] } }
  - { id: c, check: { kind: pc, probe: 'true', expect: [{ exitCode: 0, missing: { id: x, en: x } }] } }
`) as Record<string, unknown>;
  const allTexts = ['a.id', 'a.en', 'b.id', 'b.en', 'c.id', 'c.en'];

  it('the fixture itself is fine', () => {
    const lab = guidedLabSchema.parse(base);
    expect(labReferenceProblems('99-uji', lab, { lessonKeys: lessons, stepTexts: allTexts })).toEqual([]);
  });

  it('an unknown lesson', () => {
    const lab = guidedLabSchema.parse({ ...base, lessons: ['99-tidak-ada'] });
    expect(labReferenceProblems('99-uji', lab, { lessonKeys: lessons, stepTexts: allTexts })).toEqual([
      '99-uji: lesson "99-tidak-ada" does not exist (content/lessons/99-tidak-ada/)',
    ]);
  });

  it('a missing language, and a step text of no step', () => {
    const lab = guidedLabSchema.parse(base);
    expect(
      labReferenceProblems('99-uji', lab, { lessonKeys: lessons, stepTexts: ['a.id', 'a.en', 'b.id', 'c.id', 'c.en', 'z.id'] }),
    ).toEqual(['99-uji: missing step text labs/99-uji/steps/b.en.mdx', '99-uji: steps/z.id.mdx belongs to no step in lab.yaml']);
  });

  it('a duplicate step id, a check of the wrong kind, a bad pattern, fewer than three steps', () => {
    const steps = base['steps'] as Record<string, unknown>[];
    const messages = (value: unknown) => guidedLabSchema.safeParse(value).error?.issues.map((i) => i.message) ?? [];
    expect(messages({ ...base, steps: [steps[0], steps[0], steps[2]] })).toContain('duplicate step id "a"');
    expect(messages({ ...base, runsOn: 'simulator', simulator: 'cpu-flaw' })).toContain('a simulator lab needs simulator checks');
    expect(
      messages({
        ...base,
        steps: [
          steps[0],
          steps[1],
          { id: 'c', check: { kind: 'pc', probe: 'x', expect: [{ match: '(', missing: { id: 'x', en: 'x' } }] } },
        ],
      }).join(),
    ).toMatch(/not a valid regular expression/);
    expect(guidedLabSchema.safeParse({ ...base, steps: [steps[0], steps[1]] }).success).toBe(false);
    expect(
      messages({
        ...base,
        runsOn: 'kvm',
        steps: steps.map((s) => ({ ...s, check: { ...(s['check'] as object), kind: 'kvm' } })),
      }),
    ).toContain('kvm labs, and only they, say what a student without a bridge does');
  });

  it('a title in one language only', () => {
    expect(guidedLabSchema.safeParse({ ...base, title: { id: 'Lab uji' } }).success).toBe(false);
  });

  it('a step text without its parts', () => {
    expect(stepTextProblems('s.id.mdx', 'Kerjakan sesuatu yang cukup panjang di sini.\n<Hint>a</Hint>\n<Why>b</Why>')).toEqual([
      's.id.mdx: 1 <Hint>, needs 2–3',
      's.id.mdx: needs exactly one <Solution>',
    ]);
    expect(stepTextProblems('s.id.mdx', '<Hint>a</Hint><Hint>b</Hint><Solution>c</Solution><Why>d</Why>')).toEqual([
      's.id.mdx: the task (text before the first hint) is missing',
    ]);
  });
});
