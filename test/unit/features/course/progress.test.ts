import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseProgress, MAX_PROGRESS_BYTES } from '../../../../src/features/course/progress/parse';
import { mergeProgress } from '../../../../src/features/course/progress/merge';
import { emptyProgress, PROGRESS_FORMAT, PROGRESS_VERSION, type Progress } from '../../../../src/features/course/progress/schema';
import { exportProgressText, loadProgress, saveProgress, STORAGE_KEY } from '../../../../src/features/course/progress/store';
import { scoreQuiz } from '../../../../src/features/course/quiz';

/** A real Storage implementation over a Map (Node has no localStorage). */
class MemoryStorage implements Storage {
  private data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  clear() {
    this.data.clear();
  }
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  key(index: number) {
    return [...this.data.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
  setItem(key: string, value: string) {
    this.data.set(key, String(value));
  }
  keys() {
    return [...this.data.keys()];
  }
}

const T0 = '2026-11-01T08:00:00.000Z';
const T1 = '2026-11-02T08:00:00.000Z';

const sample: Progress = {
  ...emptyProgress(new Date(T0)),
  lessons: {
    '01-apa-itu-virtualisasi': { readAt: T0, quiz: { best: 4, total: 6, attempts: 2, lastAt: T0 } },
    '05-virtualisasi-cpu': { readAt: T1 },
  },
};

describe('parseProgress', () => {
  it('round-trips an exported file', () => {
    expect(parseProgress(exportProgressText(sample))).toEqual({ ok: true, progress: sample });
  });
  it.each([
    ['not JSON', '{"format": ', 'invalid-json'],
    ['an empty file', '', 'invalid-json'],
    ['a JSON array', '[]', 'invalid-shape'],
    ['another app’s file', JSON.stringify({ format: 'other', version: 1 }), 'invalid-shape'],
    [
      'a best score above total',
      JSON.stringify({ ...sample, lessons: { '01-a': { quiz: { best: 7, total: 6, attempts: 1, lastAt: T0 } } } }),
      'invalid-shape',
    ],
    ['an unknown field', JSON.stringify({ ...sample, extra: true }), 'invalid-shape'],
    ['a bad lesson key', JSON.stringify({ ...sample, lessons: { '../../etc': {} } }), 'invalid-shape'],
    ['a newer format', JSON.stringify({ ...sample, version: 3 }), 'newer-version'],
    ['a huge file', ' '.repeat(MAX_PROGRESS_BYTES + 1), 'too-large'],
  ])('refuses %s', (_, text, reason) => {
    const result = parseProgress(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });
  it('names where the shape is wrong', () => {
    const result = parseProgress(JSON.stringify({ ...sample, updatedAt: 'yesterday' }));
    expect(result.ok === false && result.reason === 'invalid-shape' && result.detail).toMatch(/^updatedAt: /);
  });
  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string(), (s) => typeof parseProgress(s).ok === 'boolean'));
    fc.assert(fc.property(fc.json(), (s) => typeof parseProgress(s).ok === 'boolean'));
  });
});

describe('mergeProgress', () => {
  const arbLesson = fc.record(
    {
      readAt: fc.constantFrom(T0, T1),
      quiz: fc
        .record({
          total: fc.integer({ min: 1, max: 10 }),
          attempts: fc.integer({ min: 1, max: 5 }),
          lastAt: fc.constantFrom(T0, T1),
        })
        .chain((q) => fc.integer({ min: 0, max: q.total }).map((best) => ({ ...q, best }))),
    },
    { requiredKeys: [] },
  );
  const arbProgress = fc
    .dictionary(fc.constantFrom('01-a', '02-b', '03-c'), arbLesson)
    .map((lessons): Progress => ({ ...emptyProgress(new Date(T0)), lessons }));

  it('loses no lesson and keeps the best score', () => {
    fc.assert(
      fc.property(arbProgress, arbProgress, (a, b) => {
        const m = mergeProgress(a, b, new Date(T1));
        for (const key of new Set([...Object.keys(a.lessons), ...Object.keys(b.lessons)])) {
          const merged = m.lessons[key];
          expect(merged).toBeDefined();
          const [qa, qb] = [a.lessons[key]?.quiz, b.lessons[key]?.quiz];
          const ratios = [qa, qb].filter((q) => q !== undefined).map((q) => q.best / q.total);
          if (ratios.length) expect((merged?.quiz?.best ?? 0) / (merged?.quiz?.total ?? 1)).toBe(Math.max(...ratios));
          if (a.lessons[key]?.readAt || b.lessons[key]?.readAt) expect(merged?.readAt).toBeDefined();
        }
        expect(parseProgress(JSON.stringify(m)).ok).toBe(true);
      }),
    );
  });
  it('adds attempts and keeps the earliest read date', () => {
    const other: Progress = {
      ...sample,
      lessons: { '01-apa-itu-virtualisasi': { readAt: T1, quiz: { best: 6, total: 6, attempts: 1, lastAt: T1 } } },
    };
    expect(mergeProgress(sample, other).lessons['01-apa-itu-virtualisasi']).toEqual({
      readAt: T0,
      quiz: { best: 6, total: 6, attempts: 3, lastAt: T1 },
    });
  });
});

describe('stored progress', () => {
  it('saves and loads', () => {
    const storage = new MemoryStorage();
    saveProgress(sample, storage);
    expect(loadProgress(storage).progress.lessons).toEqual(sample.lessons);
  });
  it('keeps a damaged value as a backup instead of losing it', () => {
    const storage = new MemoryStorage();
    storage.setItem(STORAGE_KEY, '{corrupt');
    const loaded = loadProgress(storage);
    expect(loaded.damaged).toBe(true);
    expect(loaded.progress.lessons).toEqual({});
    const backups = storage.keys().filter((k) => k.startsWith('labvirt.progress.damaged.'));
    expect(backups).toHaveLength(1);
    expect(storage.getItem(backups[0] ?? '')).toBe('{corrupt');
  });
  it('an exported file names its format', () => {
    expect((JSON.parse(exportProgressText(sample)) as { format: string }).format).toBe(PROGRESS_FORMAT);
  });
});

describe('scoreQuiz', () => {
  const q = (correct: number) => ({
    question: 'q?',
    choices: [0, 1, 2].map((i) => ({ text: String(i), correct: i === correct, feedback: 'because of reasons' })),
  });
  it.each([
    [[0, 1], 2, 0],
    [[1, 1], 1, 0],
    [[null, 1], 1, 1],
    [[2, 2], 0, 0],
  ])('answers %j → score %i, unanswered %i', (answers, score, unanswered) => {
    expect(scoreQuiz([q(0), q(1)], answers)).toEqual({ score, unanswered });
  });
});

/** A progress file exactly as version 1 of the site exported it (before guided labs). */
const V1_EXPORT = `{
  "format": "lab-virtualisasi-progress",
  "version": 1,
  "updatedAt": "2026-11-20T03:14:15.926Z",
  "lessons": {
    "01-apa-itu-virtualisasi": {
      "readAt": "2026-11-18T01:02:03.004Z",
      "quiz": {
        "best": 5,
        "total": 6,
        "attempts": 3,
        "lastAt": "2026-11-19T07:08:09.010Z"
      }
    },
    "02-berbagi-sumber-daya": {
      "readAt": "2026-11-20T03:14:15.926Z"
    }
  }
}
`;

describe('progress version 2 (guided labs)', () => {
  it('migrates a version 1 export without losing anything', () => {
    const result = parseProgress(V1_EXPORT);
    if (!result.ok) throw new Error(result.reason);
    const old = JSON.parse(V1_EXPORT) as { updatedAt: string; lessons: unknown };
    expect(result.progress).toEqual({ ...old, format: PROGRESS_FORMAT, version: PROGRESS_VERSION, labs: {} });
    expect(PROGRESS_VERSION).toBe(2);
  });

  it('migrates stored version 1 progress on load, and saves it as version 2', () => {
    const storage = new MemoryStorage();
    storage.setItem(STORAGE_KEY, V1_EXPORT);
    const loaded = loadProgress(storage);
    expect(loaded.damaged).toBe(false);
    expect(loaded.progress.lessons['01-apa-itu-virtualisasi']?.quiz?.best).toBe(5);
    saveProgress(loaded.progress, storage);
    expect((JSON.parse(storage.getItem(STORAGE_KEY) ?? '{}') as { version: number }).version).toBe(2);
    expect(storage.keys().filter((k) => k !== STORAGE_KEY)).toEqual([]);
  });

  it('still refuses a broken version 1 file, saying where', () => {
    const broken = V1_EXPORT.replace('"best": 5', '"best": 9');
    expect(parseProgress(broken)).toMatchObject({ ok: false, reason: 'invalid-shape' });
  });

  const withLab: Progress = {
    ...sample,
    labs: {
      '02-iso-loop': {
        steps: {
          attach: { passedAt: T0, hintsUsed: 1, solutionShown: false, failedChecks: 2, seconds: 95 },
          mount: { hintsUsed: 3, solutionShown: true, failedChecks: 4, seconds: 300 },
        },
      },
    },
  };

  it('export and import carry lab progress', () => {
    expect(parseProgress(exportProgressText(withLab))).toEqual({ ok: true, progress: withLab });
  });

  it('refuses lab progress with a bad step id or too many hints', () => {
    const badStep = {
      ...withLab,
      labs: { '02-iso-loop': { steps: { 'Bad Id': withLab.labs['02-iso-loop']?.steps['attach'] } } },
    };
    expect(parseProgress(JSON.stringify(badStep))).toMatchObject({ ok: false, reason: 'invalid-shape' });
    const hints = structuredClone(withLab);
    const attach = hints.labs['02-iso-loop']?.steps['attach'];
    if (attach) attach.hintsUsed = 4;
    expect(parseProgress(JSON.stringify(hints))).toMatchObject({ ok: false, reason: 'invalid-shape' });
  });

  it('merging keeps the earliest pass, the most hints, a shown solution; merging twice changes nothing', () => {
    const other: Progress = {
      ...emptyProgress(new Date(T1)),
      labs: {
        '02-iso-loop': { steps: { attach: { passedAt: T1, hintsUsed: 2, solutionShown: true, failedChecks: 0, seconds: 10 } } },
        '07-popf': { steps: { diverge: { passedAt: T1, hintsUsed: 0, solutionShown: false, failedChecks: 0, seconds: 40 } } },
      },
    };
    const merged = mergeProgress(withLab, other, new Date(T1));
    expect(merged.labs['02-iso-loop']?.steps['attach']).toEqual({
      passedAt: T0,
      hintsUsed: 2,
      solutionShown: true,
      failedChecks: 2,
      seconds: 95,
    });
    expect(merged.labs['02-iso-loop']?.steps['mount']).toEqual(withLab.labs['02-iso-loop']?.steps['mount']);
    expect(merged.labs['07-popf']).toEqual(other.labs['07-popf']);
    expect(mergeProgress(merged, other, new Date(T1)).labs).toEqual(merged.labs);
  });
});
