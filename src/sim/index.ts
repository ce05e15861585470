/**
 * All simulation models, one namespace each. Pure TypeScript: no DOM, no
 * framework, deterministic (randomness only from seeded generators).
 *
 * @example
 * import { asm, strategies, guests } from './sim/index.ts';
 * const s = strategies.init({ program: guests.guest('tiny-kernel').program, strategy: 'native' });
 */
export * as asm from './asm/index.ts';
export * as density from './density/index.ts';
export * as guests from './programs/index.ts';
export * as machine from './machine/index.ts';
export * as memory from './memory/index.ts';
export * as overcommit from './overcommit/index.ts';
export * as paravirt from './paravirt/index.ts';
export * as random from './random.ts';
export * as strategies from './strategies/index.ts';
