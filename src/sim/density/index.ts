/**
 * Density: VMs versus OS-level containers on one host.
 *
 * @example
 * import { compareDensity, DEFAULT_DENSITY } from './index.ts';
 * compareDensity({ ...DEFAULT_DENSITY, pageSharing: true }).vm.maxInstances
 */
export * from './model.ts';
