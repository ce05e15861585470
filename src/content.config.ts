import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './schemas/lesson';
import { glossarySchema } from './schemas/glossary';
import { guidedLabSchema, labStepTextSchema } from './schemas/guided-lab';

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

/** Guided labs: labs/NN-slug/lab.yaml; entry id is the lab key `NN-slug`. */
const labs = defineCollection({
  loader: glob({ pattern: '*/lab.yaml', base: './labs', generateId: ({ entry }) => entry.split('/')[0] ?? entry }),
  schema: guidedLabSchema,
});

/** Step texts of guided labs: labs/NN-slug/steps/<step-id>.<id|en>.mdx; entry id `NN-slug/<step-id>.<locale>`. */
const labSteps = defineCollection({
  loader: glob({
    pattern: '*/steps/*.{id,en}.mdx',
    base: './labs',
    generateId: ({ entry }) => entry.replace('/steps/', '/').replace(/\.mdx$/, ''),
  }),
  schema: labStepTextSchema,
});

export const collections = { lessons, glossary, labs, labSteps };
