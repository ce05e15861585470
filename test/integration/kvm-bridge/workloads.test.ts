/**
 * The workloads (`compute`, `memory`, `out-loop`) through the real bridge, under KVM (the raw KVM
 * API) and QEMU TCG: the guest's own report says it ran exactly N iterations and computed what this
 * test computes, at both counts of a `micro-run`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvmUnusableReason } from '../../support/kvm.ts';
import { expectedExits, expectedReport, parseMicroReport } from '../../../src/protocol/micro-programs.ts';
import type { MicroWorkloadName } from '../../../src/protocol/schema.ts';
import { startBridgeProcess, TestClient, type BridgeProcess } from './support/bridge-process.ts';

/** Small counts: this checks what ran, not how fast. */
const COUNTS: Record<MicroWorkloadName, [number, number]> = {
  compute: [1000, 3000],
  memory: [16, 144],
  'out-loop': [100, 300],
};

const unusable = kvmUnusableReason();

for (const accel of ['kvm', 'tcg'] as const) {
  const skip = accel === 'kvm' ? unusable : null;
  describe.skipIf(skip !== null)(`workloads under ${accel}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let bridge: BridgeProcess;
    let client: TestClient;
    beforeAll(async () => {
      bridge = await startBridgeProcess();
      client = await TestClient.connect(bridge);
    });
    afterAll(async () => {
      await client.close();
      expect(await bridge.stop()).toBe(0);
    });

    it.each(Object.keys(COUNTS) as MicroWorkloadName[])(
      '%s: the guest reports N and its checksum at each count',
      async (program) => {
        const counts = COUNTS[program];
        const ref = `${accel}-${program}`;
        client.send({ type: 'micro-run', accel, program, counts, repeats: 1, ref });
        const done = await client.next<'micro-run-result'>(
          (m) => (m.type === 'micro-run-result' || m.type === 'error') && m.ref === ref,
          60_000,
        );
        expect(done.type).toBe('micro-run-result');
        expect(done.runs.map((r) => r.iterations)).toEqual(counts);
        // The last run's report, from the guest's own count: exactly N2 iterations, and the checksum this test computes.
        expect(parseMicroReport(done.consoleText)).toEqual(expectedReport(program, counts[1]));
        if (accel === 'kvm') {
          // compute and memory never leave the guest until the report; out-loop exits once per iteration.
          const exits = expectedExits(program, counts[1]);
          expect(done.exits).toMatchObject({ total: exits.io + exits.hlt, counts: { io: exits.io, hlt: 1 } });
          expect(done.runs.map((r) => r.exits)).toEqual(counts.map((n) => expectedExits(program, n).io + 1));
        } else {
          expect(done.exits).toBeNull();
        }
        expect(done.nsPerIteration).not.toBeNull();
      },
      90_000,
    );
  });
}
