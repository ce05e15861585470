/**
 * Loads the lab definitions the bridge may start: every `labs/<id>/lab.yaml`, checked against
 * src/schemas/lab.ts once at start. A lab that fails the check stops the bridge from starting:
 * better a clear error at launch than a half-working guest list.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { labSchema, type Lab } from '../schemas/lab.ts';

export class LabDefinitionError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'LabDefinitionError';
  }
}

/** Reads every lab under `labsDir` that has a `guest` (labs without a VM are not the bridge's business). */
export function loadLabs(labsDir: string): Map<string, Lab> {
  const labs = new Map<string, Lab>();
  for (const entry of readdirSync(labsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(labsDir, entry.name, 'lab.yaml');
    if (!existsSync(file)) continue;
    const raw: unknown = parse(readFileSync(file, 'utf8'));
    if (typeof raw !== 'object' || raw === null || !('guest' in raw)) continue;
    const result = labSchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new LabDefinitionError(file, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    if (result.data.id !== entry.name) throw new LabDefinitionError(file, `id "${result.data.id}" must equal the folder name "${entry.name}"`);
    labs.set(result.data.id, result.data);
  }
  return labs;
}
