/**
 * Example guest programs for the teaching machine.
 *
 * @example
 * import { guest } from './index.ts';
 * guest('tiny-kernel').source // the listing a lesson shows
 */
export { guest, GUEST_IDS, REALISTIC_TIMER_PERIOD, type GuestId, type GuestProgram, type GuestSize } from './catalog.ts';
export * from './nanobench.ts';
export * from './sources.ts';
