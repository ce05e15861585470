/**
 * The pure check engine for probe checks (`pc` and `kvm` labs): rules from lab.yaml over the result
 * of a script the lab agent ran out of band. Only the machine's real state reaches a check; what the
 * student typed into the terminal never does.
 */
import type { LocalizedText, ProbeRule } from '../../schemas/guided-lab';
import type { ProbeResult } from '../../guest/agent';

/** What a probe returns (the browser PC's lab agent, src/guest/agent.ts). */
export type { ProbeResult };

/** A check's outcome: passed, or what is still missing (every failed rule's text, in order). */
export interface Verdict {
  readonly passed: boolean;
  readonly missing: readonly LocalizedText[];
}

/**
 * Every rule must hold. `match`/`noMatch` are JavaScript regular expressions, multiline.
 *
 * @example
 * evaluateProbe([{ exitCode: 0, missing }], { exitCode: 1, output: '' }) // { passed: false, missing: [missing] }
 */
export function evaluateProbe(rules: readonly ProbeRule[], result: ProbeResult): Verdict {
  const missing: LocalizedText[] = [];
  for (const rule of rules) {
    if (!ruleHolds(rule, result)) missing.push(rule.missing);
  }
  return { passed: missing.length === 0, missing };
}

function ruleHolds(rule: ProbeRule, result: ProbeResult): boolean {
  if ('exitCode' in rule) return result.exitCode === rule.exitCode;
  if ('match' in rule) return new RegExp(rule.match, 'm').test(result.output);
  return !new RegExp(rule.noMatch, 'm').test(result.output);
}

/** What a probe check needs from a machine: the browser PC's V86Backend, later the bridge's guest. */
export interface ProbeTarget {
  probe(script: string, signal?: AbortSignal): Promise<ProbeResult>;
}
