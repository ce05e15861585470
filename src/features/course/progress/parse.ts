import { safeParse } from 'valibot';
import { migrateV1, PROGRESS_FORMAT, PROGRESS_VERSION, progressSchema, progressSchemaV1, type Progress } from './schema';

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
  if (
    isRecord(raw) &&
    raw['format'] === PROGRESS_FORMAT &&
    typeof raw['version'] === 'number' &&
    raw['version'] > PROGRESS_VERSION
  ) {
    return { ok: false, reason: 'newer-version', version: raw['version'] };
  }
  if (isRecord(raw) && raw['format'] === PROGRESS_FORMAT && raw['version'] === 1) {
    const old = safeParse(progressSchemaV1, raw);
    if (old.success) return { ok: true, progress: migrateV1(old.output) };
    return invalidShape(old.issues[0]);
  }
  const parsed = safeParse(progressSchema, raw);
  if (!parsed.success) return invalidShape(parsed.issues[0]);
  return { ok: true, progress: parsed.output };
}

function invalidShape(issue: { path?: { key: unknown }[] | undefined; message: string }): ParseFailure {
  const where = issue.path?.map((item) => String(item.key)).join('.') || '(root)';
  return { ok: false, reason: 'invalid-shape', detail: `${where}: ${issue.message}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
