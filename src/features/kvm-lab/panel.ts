/**
 * Small helpers of the KVM lab panel's connected parts.
 *
 * Parts: a lesson's hands-on box focuses on one; the full page (/lab-kvm/) shows them all. Stats
 * need a running guest, so `stats` brings the guest too.
 */

export const LAB_FOCUSES = ['host-check', 'guest', 'stats', 'hello-kvm'] as const;
export type LabFocus = (typeof LAB_FOCUSES)[number];
export type LabPart = LabFocus;

/**
 * @example partsFor('stats') // → ['guest', 'stats']
 * @example partsFor(undefined) // → ['host-check', 'guest', 'stats', 'hello-kvm']
 */
export function partsFor(focus: LabFocus | undefined): readonly LabPart[] {
  switch (focus) {
    case undefined:
      return LAB_FOCUSES;
    case 'stats':
      return ['guest', 'stats'];
    default:
      return [focus];
  }
}
