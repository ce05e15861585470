import { DEFAULT_COSTS, type CostModel } from './costs.ts';
import { DEFAULT_EXIT_CONTROLS, exceptionBitmap, type ExitControls } from './types.ts';

/** The hardware-assist generations the simulator can be set to. */
export type HwPresetName = 'vtx-2006' | 'modern-ept';

export const HW_PRESET_NAMES: readonly HwPresetName[] = ['vtx-2006', 'modern-ept'];

/** The hardware-assist cost fields a preset sets. */
export const HW_COST_FIELDS = [
  'vmExitRoundTrip',
  'vmEventInjection',
  'exitHandlerHlt',
  'exitHandlerIo',
  'exitHandlerCr',
  'exitHandlerVmcall',
  'exitHandlerExternalInterrupt',
  'exitHandlerInterruptWindow',
  'exitHandlerException',
  'exitHandlerPageTableWrite',
] as const satisfies readonly (keyof CostModel)[];

export type HwCostField = (typeof HW_COST_FIELDS)[number];

/** One CPU generation: its VMCS exit controls and what its exits cost. */
export interface HwPreset {
  readonly exitControls: ExitControls;
  readonly costs: Readonly<Record<HwCostField, number>>;
}

function hwCosts(costs: CostModel): Record<HwCostField, number> {
  return Object.fromEntries(HW_COST_FIELDS.map((k) => [k, costs[k]])) as Record<HwCostField, number>;
}

/**
 * - `vtx-2006`: the first VT-x CPUs measured by [AA06] (Pentium 4 672). An exit +
 *   entry round trip of about 2,400 cycles; no EPT, so the hypervisor keeps shadow
 *   page tables: CR3 loads and page faults exit, and every guest page-table write
 *   exits as a #PF whose handler decodes and emulates the store in software
 *   (ptemod 12,733 cycles). Handler costs are round values consistent with the
 *   paper's totals (its I/O, HLT and interrupt handlers were not broken out).
 * - `modern-ept`: a current CPU [AMRS12]: round trips of a few hundred cycles and
 *   nested paging (EPT/NPT), so page-table writes, CR3 loads and page faults stay
 *   in the guest. The model's defaults.
 */
export const HW_PRESETS: Readonly<Record<HwPresetName, HwPreset>> = {
  'vtx-2006': {
    exitControls: {
      ...DEFAULT_EXIT_CONTROLS,
      ptbLoadExiting: true,
      exceptionBitmap: exceptionBitmap(['page-fault']),
      nestedPaging: false,
    },
    costs: {
      vmExitRoundTrip: 2400,
      vmEventInjection: 100,
      exitHandlerHlt: 600,
      exitHandlerIo: 800,
      exitHandlerCr: 300,
      exitHandlerVmcall: 400,
      exitHandlerExternalInterrupt: 600,
      exitHandlerInterruptWindow: 100,
      exitHandlerException: 400,
      exitHandlerPageTableWrite: 10_000,
    },
  },
  'modern-ept': { exitControls: DEFAULT_EXIT_CONTROLS, costs: hwCosts(DEFAULT_COSTS) },
};

/**
 * Session parameters for one preset on top of a cost model.
 *
 * @example
 * init({ program, strategy: 'hardware-assisted', ...withHwPreset('vtx-2006') })
 */
export function withHwPreset(
  name: HwPresetName,
  costs: CostModel = DEFAULT_COSTS,
): { costs: CostModel; exitControls: ExitControls } {
  const preset = HW_PRESETS[name];
  return { costs: { ...costs, ...preset.costs }, exitControls: preset.exitControls };
}

/** The preset these settings are exactly, or null when they are the learner's own mix. */
export function hwPresetOf(costs: CostModel, controls: ExitControls): HwPresetName | null {
  for (const name of HW_PRESET_NAMES) {
    const p = HW_PRESETS[name];
    const sameCosts = HW_COST_FIELDS.every((k) => costs[k] === p.costs[k]);
    const c = p.exitControls;
    const sameControls =
      controls.hltExiting === c.hltExiting &&
      controls.ioExiting === c.ioExiting &&
      controls.ptbLoadExiting === c.ptbLoadExiting &&
      controls.externalInterruptExiting === c.externalInterruptExiting &&
      controls.exceptionBitmap === c.exceptionBitmap &&
      controls.nestedPaging === c.nestedPaging;
    if (sameCosts && sameControls) return name;
  }
  return null;
}
