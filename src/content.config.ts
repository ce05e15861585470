import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './schemas/lesson';
import { glossarySchema } from './schemas/glossary';

/** Lessons: content/lessons/NN-slug/{id,en}.mdx; entry id `NN-slug/id`. */
const lessons = defineCollection({
  loader: glob({ pattern: '*/{id,en}.mdx', base: './content/lessons' }),
  schema: lessonSchema,
});

/** Glossary: content/glossary/<term-id>.yaml; entry id is the term id. */
const glossary = defineCollection({
  loader: glob({ pattern: '*.yaml', base: './content/glossary' }),
  schema: glossarySchema,
});

export const collections = { lessons, glossary };
