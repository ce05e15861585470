/**
 * CPU and memory overcommit over time: steal time, ballooning, page sharing
 * (KSM) and host swapping.
 *
 * @example
 * import { simulate, exampleScenario } from './index.ts';
 * simulate(exampleScenario({ ballooning: false }), 24).some((r) => r.state === 'swapping')
 */
export * from './demand.ts';
export * from './model.ts';
