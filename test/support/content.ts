/**
 * Reads the course content straight from content/ (the real lessons are the test
 * fixtures): lesson frontmatter and bodies, and glossary entries.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const CONTENT = fileURLToPath(new URL('../../content/', import.meta.url));
export const LABS = fileURLToPath(new URL('../../labs/', import.meta.url));

export interface RawLessonFile {
  key: string;
  locale: 'id' | 'en';
  path: string;
  frontmatter: unknown;
  body: string;
}

export function lessonKeys(): string[] {
  return readdirSync(join(CONTENT, 'lessons'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function readLessonFile(key: string, locale: 'id' | 'en'): RawLessonFile | undefined {
  const path = join(CONTENT, 'lessons', key, `${locale}.mdx`);
  if (!existsSync(path)) return undefined;
  return { key, locale, path, ...splitLesson(readFileSync(path, 'utf8'), path) };
}

/** A lesson file's YAML frontmatter, parsed, and its MDX body. */
export function splitLesson(text: string, path: string): { frontmatter: unknown; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${path}: no frontmatter block`);
  return { frontmatter: parseYaml(match[1] ?? ''), body: match[2] ?? '' };
}

export function glossaryIds(): string[] {
  return readdirSync(join(CONTENT, 'glossary'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export function readGlossary(id: string): unknown {
  return parseYaml(readFileSync(join(CONTENT, 'glossary', `${id}.yaml`), 'utf8'));
}

/** Guided lab keys (folders of labs/ with a lab.yaml), sorted. */
export function labKeys(): string[] {
  if (!existsSync(LABS)) return [];
  return readdirSync(LABS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(LABS, d.name, 'lab.yaml')))
    .map((d) => d.name)
    .sort();
}

export function readLabYaml(key: string): unknown {
  return parseYaml(readFileSync(join(LABS, key, 'lab.yaml'), 'utf8'));
}

/** The step files of a lab: `steps/<step-id>.<locale>.mdx` names. */
export function labStepFiles(key: string): string[] {
  const dir = join(LABS, key, 'steps');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function readLabStep(
  key: string,
  stepId: string,
  locale: 'id' | 'en',
): { path: string; frontmatter: unknown; body: string } | undefined {
  const path = join(LABS, key, 'steps', `${stepId}.${locale}.mdx`);
  if (!existsSync(path)) return undefined;
  return { path, ...splitLesson(readFileSync(path, 'utf8'), path) };
}
