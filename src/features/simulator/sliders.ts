/**
 * A lab's sliders as data: each names the value it sets, its range, its label's key in the
 * lab's strings and its unit; parts/SliderGroup.svelte draws a fieldset of them.
 */

/** What follows a slider's number: `GiB`, `MiB`, `m` (thousandths of a core) or `%`. */
export type SliderUnit = 'GiB' | 'MiB' | 'm' | '%';

/** One slider. */
export interface SliderSpec<K extends string, L extends string> {
  /** The value it shows and sets. */
  readonly key: K;
  /** Its `data-slider` name, when not `key`. */
  readonly name?: string;
  /** The end of its element id: `<lab prefix>-<id>`. */
  readonly id: string;
  /** Its label's key in the lab's strings. */
  readonly label: L;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly unit?: SliderUnit;
}

/** A fieldset of sliders under one legend. */
export interface SliderGroupSpec<K extends string, L extends string> {
  /** The legend's key in the lab's strings. */
  readonly legend: L;
  readonly sliders: readonly SliderSpec<K, L>[];
}

/**
 * A slider's value as read: the number, then its unit.
 *
 * @example
 * withUnit('64', 'GiB') // '64 GiB'
 * withUnit('150', '%') // '150%'
 */
export function withUnit(number: string, unit?: SliderUnit): string {
  if (unit === undefined) return number;
  return unit === '%' ? `${number}%` : `${number} ${unit}`;
}
