import { safeParse } from 'valibot';
import { PROGRESS_FORMAT, PROGRESS_VERSION, progressSchema, type Progress } from './schema';

/** Larger than any real progress file by far; refuses accidental uploads of big files. */
export const MAX_PROGRESS_BYTES = 512 * 1024;

export type ParseFailure =
  | { ok: false; reason: 'too-large' }
  | { ok: false; reason: 'invalid-json' }
  | { ok: false; reason: 'newer-version'; version: number }
  | { ok: false; reason: 'invalid-shape'; detail: string };

export type ParseResult = { ok: true; progress: Progress } | ParseFailure;

/**
 * Parses the text of a progress file. Never throws: every failure comes back as a
 * reason the page turns into a message in the learner's language.
 * @example parseProgress('{}') // → { ok: false, reason: 'invalid-shape', detail: 'format: …' }
 */
export function parseProgress(text: string): ParseResult {
  if (text.length > MAX_PROGRESS_BYTES) return { ok: false, reason: 'too-large' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid-json' };
  }
  if (isRecord(raw) && raw['format'] === PROGRESS_FORMAT && typeof raw['version'] === 'number' && raw['version'] > PROGRESS_VERSION) {
    return { ok: false, reason: 'newer-version', version: raw['version'] };
  }
  const parsed = safeParse(progressSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((item) => String(item.key)).join('.') || '(root)';
    return { ok: false, reason: 'invalid-shape', detail: `${where}: ${issue.message}` };
  }
  return { ok: true, progress: parsed.output };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
