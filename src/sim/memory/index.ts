/**
 * Memory virtualization: guest-virtual → guest-physical → host-physical
 * translation with multi-level page tables, a TLB, shadow paging and nested
 * paging (EPT/RVI), with every memory reference counted.
 *
 * @example
 * import { init, apply, walkReferenceCount } from './index.ts';
 * const m = init({ mode: 'nested', guestLevels: 4, hostLevels: 4 });
 * apply(m, { kind: 'read', address: 0 }); // 24 walk references on a TLB miss
 * walkReferenceCount('nested', 4, 4)      // 24 = (4+1)(4+1) − 1
 */
export * from './mmu.ts';
export * from './radix.ts';
export * from './tlb.ts';
export * from './workload.ts';
