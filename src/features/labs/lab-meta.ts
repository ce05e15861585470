import type { GuidedLab } from '../../schemas/guided-lab';
import type { LabText } from './strings';

/** The short facts under a lab's title and in the index: where it runs, path, level, minutes, steps. */
export function labFacts(lab: GuidedLab, t: LabText): string[] {
  return [
    t[`runsOn.${lab.runsOn}`],
    t[`path.${lab.path}`],
    t[`level.${lab.level}`],
    t['lab.minutes'].replace('{minutes}', String(lab.minutes)),
    t['lab.steps'].replace('{count}', String(lab.steps.length)),
  ];
}
