import type { QuizQuestion } from '../../schemas/lesson';

/**
 * Scores a quiz attempt. `answers[i]` is the chosen choice index of question i, or null.
 * @example scoreQuiz([{ question: 'q?', choices: [{ text: 'a', correct: true, feedback: '…' }] }], [0])
 *   // → { score: 1, unanswered: 0 }
 */
export function scoreQuiz(questions: readonly QuizQuestion[], answers: readonly (number | null)[]) {
  let score = 0;
  let unanswered = 0;
  questions.forEach((q, i) => {
    const a = answers[i];
    if (a === null || a === undefined) unanswered += 1;
    else if (q.choices[a]?.correct) score += 1;
  });
  return { score, unanswered };
}
