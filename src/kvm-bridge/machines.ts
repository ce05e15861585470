/**
 * Loads the machine definitions the bridge may start: every `<dir>/<id>.yaml` (the course's own
 * are in src/kvm-bridge/machines/), checked against src/schemas/bridge-machine.ts once at start.
 * A definition that fails the check stops the bridge from starting: better a clear error at
 * launch than a half-working guest list. (Guided labs, the student's practice, are in labs/.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bridgeMachineSchema, type BridgeMachine } from '../schemas/bridge-machine.ts';

/** The course's machine definitions, next to this file. */
export const COURSE_MACHINES_DIR = new URL('./machines/', import.meta.url).pathname;

export class MachineDefinitionError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'MachineDefinitionError';
  }
}

/** Reads every `*.yaml` under `machinesDir`; the file name (without `.yaml`) is the machine id. */
export function loadMachines(machinesDir: string): Map<string, BridgeMachine> {
  const machines = new Map<string, BridgeMachine>();
  for (const entry of readdirSync(machinesDir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
    const file = join(machinesDir, entry.name);
    const name = entry.name.slice(0, -'.yaml'.length);
    const result = bridgeMachineSchema.safeParse(parse(readFileSync(file, 'utf8')));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new MachineDefinitionError(file, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    if (result.data.id !== name)
      throw new MachineDefinitionError(file, `id "${result.data.id}" must equal the file name "${name}"`);
    machines.set(result.data.id, result.data);
  }
  return machines;
}
