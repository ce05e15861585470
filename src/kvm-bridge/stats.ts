/**
 * Turns QMP `query-stats` replies into flat counters. Pure: the reply shape is
 * `[{ provider, qom-path?, stats: [{ name, value }] }]` where `value` is a number, a boolean or a
 * histogram (array). Only numbers are kept; vCPU counters are summed over vCPUs.
 */

export interface StatsSnapshot {
  /** False when the host gives no KVM counters (TCG, or a KVM without binary stats). */
  available: boolean;
  vm: Record<string, number>;
  vcpu: Record<string, number>;
}

/**
 * @example sumStatsReply([{ provider: 'kvm', stats: [{ name: 'exits', value: 3 }] }, { provider: 'kvm', stats: [{ name: 'exits', value: 4 }] }]) // { exits: 7 }
 */
export function sumStatsReply(reply: unknown): Record<string, number> {
  const totals: Record<string, number> = {};
  if (!Array.isArray(reply)) return totals;
  for (const result of reply as unknown[]) {
    if (typeof result !== 'object' || result === null) continue;
    const stats = (result as { stats?: unknown }).stats;
    if (!Array.isArray(stats)) continue;
    for (const stat of stats as unknown[]) {
      if (typeof stat !== 'object' || stat === null) continue;
      const { name, value } = stat as { name?: unknown; value?: unknown };
      if (typeof name === 'string' && typeof value === 'number' && Number.isFinite(value)) totals[name] = (totals[name] ?? 0) + value;
    }
  }
  return totals;
}

export function statsSnapshot(vmReply: unknown, vcpuReply: unknown): StatsSnapshot {
  const vm = sumStatsReply(vmReply);
  const vcpu = sumStatsReply(vcpuReply);
  return { available: Object.keys(vm).length + Object.keys(vcpu).length > 0, vm, vcpu };
}
