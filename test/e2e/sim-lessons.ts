/** Where each simulator island lives: its lesson, and that lesson's URL from its own frontmatter. */
import { lessonSchema } from '../../src/schemas/lesson';
import { readLessonFile } from '../support/content';

export type Model = 'strategies' | 'cpu-flaw' | 'memory' | 'overcommit' | 'density';

const LESSONS: Record<Model, string> = {
  strategies: '03-tingkat-virtualisasi',
  'cpu-flaw': '05-virtualisasi-cpu',
  memory: '07-virtualisasi-memori',
  overcommit: '09-mengelola-vm',
  density: '10-kontainer-vs-vm',
};

/** The lesson URL of a model's island. */
export function simLessonUrl(model: Model, locale: 'id' | 'en'): string {
  const slug = lessonSchema.parse(readLessonFile(LESSONS[model], locale)?.frontmatter).urlSlug;
  return locale === 'id' ? `/pelajaran/${slug}/` : `/en/lessons/${slug}/`;
}
