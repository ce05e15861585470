/**
 * Paravirtualization as a program transformation: the modified guest kernel
 * (hypercalls, shared-info operations, a batched I/O ring) derived from a guest.
 *
 * @example
 * import { paravirtualize } from './index.ts';
 * const pv = paravirtualize(guest('tiny-kernel').program);
 */
export { hypervisorView, paravirtualInstruction, paravirtualize } from './rewrite.ts';
