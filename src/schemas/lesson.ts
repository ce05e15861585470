import { z } from 'zod';
import { lessonKeySchema, slugSchema } from './common.ts';

/** Chapters group lessons on the home page; titles live in src/site/strings.ts. */
export const CHAPTERS = ['foundations', 'cpu', 'memory-io', 'operations'] as const;
export const chapterSchema = z.enum(CHAPTERS);
export type Chapter = z.infer<typeof chapterSchema>;

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export const levelSchema = z.enum(LEVELS);

/** One answer option of a quiz question. */
export const quizChoiceSchema = z
  .object({
    /** The option as the learner reads it. */
    text: z.string().min(1),
    /** Marks the one right answer of the question. Default: false. */
    correct: z.boolean().default(false),
    /** Shown after the learner picks this option: why it is right, or exactly why it is wrong. */
    feedback: z.string().min(10),
  })
  .strict();

/** One multiple-choice question. Exactly one choice is correct. */
export const quizQuestionSchema = z
  .object({
    /** The question text (plain text, no markup). */
    question: z.string().min(5),
    /** 2–5 options, shown in this order. */
    choices: z.array(quizChoiceSchema).min(2).max(5),
  })
  .strict()
  .refine((q) => q.choices.filter((c) => c.correct).length === 1, {
    message: 'each question needs exactly one choice with correct: true',
  });
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;

/**
 * Frontmatter of one lesson file, `content/lessons/NN-slug/{id,en}.mdx`.
 * Both language files of a lesson must agree on order, chapter, level, minutes,
 * terms and prerequisites (checked in test/unit/content-integrity.test.ts). A lesson's labs are not
 * listed here: each guided lab names its lessons (src/schemas/guided-lab.ts), the one source.
 */
export const lessonSchema = z
  .object({
    /** Page title and heading. */
    title: z.string().min(3).max(90),
    /** One or two sentences for the lesson list, search results and `<meta name="description">`. */
    description: z.string().min(20).max(300),
    /** The URL slug in this language: `/pelajaran/<urlSlug>/` or `/en/lessons/<urlSlug>/`. */
    urlSlug: slugSchema,
    /** Position in the course, 1-based, unique. */
    order: z.number().int().positive(),
    /** The chapter this lesson belongs to. */
    chapter: chapterSchema,
    /** What the learner can do after the lesson: 3 to 6 items. */
    objectives: z.array(z.string().min(5)).min(3).max(6),
    /** Estimated reading-and-doing time in minutes. */
    minutes: z.number().int().min(5).max(120),
    /** Difficulty for a TKJ/TJKT student. */
    level: levelSchema,
    /** Glossary term ids used in this lesson (each must exist in content/glossary/). */
    terms: z.array(slugSchema).min(1),
    /** Lesson keys (folder names) the learner should read first. Default: none. */
    prerequisites: z.array(lessonKeySchema).default([]),
    /** The end-of-lesson quiz: at least 5 questions. */
    quiz: z.array(quizQuestionSchema).min(5),
  })
  .strict();
export type LessonFrontmatter = z.infer<typeof lessonSchema>;
