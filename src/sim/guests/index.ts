/**
 * Example guest programs for the teaching machine.
 *
 * @example
 * import { guest } from '../guests/index.ts';
 * guest('tiny-kernel').source // the listing a lesson shows
 */
export { guest, GUEST_IDS, type GuestId, type GuestProgram, type GuestSize } from './catalog.ts';
export * from './sources.ts';
