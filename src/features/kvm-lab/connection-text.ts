/**
 * What the panel says when connecting fails or the connection ends, in the page's language. The
 * bridge's own refusals (`rejected`) use its message table (messages.ts); the rest are ours.
 */
import type { KvmLabText } from './strings';
import { fill } from '../../i18n/fill';
import { formatMessage } from '../../protocol/texts';
import type { Locale } from '../../i18n/locale';
import { BridgeError } from '../../protocol/client';
import { originCommand, type BridgeAddress } from '../../protocol/bridge-url';

export interface ConnectionProblem {
  /** What happened. */
  summary: string;
  /** What to do about it, when there is something. */
  fix: string | null;
  /** A command to run, shown as code (e.g. the bridge with --origin). */
  command: string | null;
}

/** How long the panel waits for the bridge's welcome. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * @example connectionProblem(new BridgeError('unreachable', '…'), text, 'en', address, 'http://127.0.0.1:4321')
 *   // → { summary: 'The connection to 127.0.0.1:8477 was refused: …', fix: 'Run npm run bridge again …', command: 'npm run bridge' }
 */
export function connectionProblem(
  error: unknown,
  text: KvmLabText,
  locale: Locale,
  address: BridgeAddress,
  origin: string,
): ConnectionProblem {
  const vars = { address: address.display, origin };
  if (!(error instanceof BridgeError)) {
    return {
      summary: fill(text['kvm.error.invalid-message'], {
        detail: error instanceof Error ? error.message : String(error),
      }),
      fix: null,
      command: null,
    };
  }
  switch (error.code) {
    case 'unreachable':
      return {
        summary: fill(text['kvm.error.unreachable'], vars),
        fix: text['kvm.error.unreachableFix'],
        command: 'npm run bridge',
      };
    case 'refused':
      return {
        summary: fill(text['kvm.error.refused'], vars),
        fix: text['kvm.error.refusedFix'],
        command: originCommand(origin),
      };
    case 'timeout':
      return {
        summary: fill(text['kvm.error.timeout'], { ...vars, seconds: CONNECT_TIMEOUT_MS / 1000 }),
        fix: null,
        command: null,
      };
    case 'rejected':
      return { summary: error.key ? formatMessage(error.key, locale, error.params) : error.message, fix: null, command: null };
    case 'closed':
      return { summary: fill(text['kvm.error.closed'], { code: error.closeCode ?? '?' }), fix: null, command: null };
    case 'invalid-message':
      return { summary: fill(text['kvm.error.invalid-message'], { detail: error.message }), fix: null, command: null };
    case 'aborted':
      return { summary: text['kvm.state.idle'], fix: null, command: null };
  }
}

/** What the panel says when an open connection ends. */
export function connectionLostText(error: BridgeError, text: KvmLabText): string {
  return fill(text['kvm.error.lost'], { code: error.closeCode ?? '?' });
}
