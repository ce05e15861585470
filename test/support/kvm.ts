/**
 * Whether tests that need KVM can run here, asked the way the bridge asks (kvm-api.ts's probeKvm:
 * open /dev/kvm, KVM_GET_API_VERSION). Returns why not, for the skipped test's name, or null.
 */
import { KvmError, probeKvm } from '../../src/kvm-bridge/kvm-api.ts';

export function kvmUnusableReason(devicePath = '/dev/kvm'): string | null {
  try {
    probeKvm(devicePath);
    return null;
  } catch (error) {
    return error instanceof KvmError ? `${error.code}: ${error.message}` : String(error);
  }
}
