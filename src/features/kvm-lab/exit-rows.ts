/**
 * The micro-guest's VM exits (Hello KVM) as table rows and a summary, in the page's language.
 */
import type { KvmLabText } from './strings';
import { formatNumber } from '../../i18n/format';
import { fill } from '../../i18n/fill';
import type { Locale } from '../../i18n/locale';
import type { HelloKvmDone, KvmExitMessage } from '../../protocol/client';

export interface ExitRow {
  seq: number;
  /** KVM_EXIT_ name and number, e.g. `KVM_EXIT_IO (2)`. */
  reason: string;
  /** Guest instruction pointer, hex. */
  rip: string;
  detail: string;
}

/**
 * @example hex(0x3f8, 3) // → '0x3f8'
 */
export const hex = (value: number, digits = 1): string => `0x${value.toString(16).padStart(digits, '0')}`;

/**
 * One byte as hex, plus the character when it is printable ASCII.
 * @example byteText(72) // → "0x48 'H'"
 * @example byteText(10) // → '0x0a (\n)'
 */
export function byteText(byte: number): string {
  const h = hex(byte, 2);
  if (byte === 10) return `${h} (\\n)`;
  if (byte >= 0x20 && byte < 0x7f) return `${h} '${String.fromCharCode(byte)}'`;
  return h;
}

/**
 * @example exitRow({ seq: 1, reason: 'io', reasonCode: 2, rip: 4108, io: { direction: 'out', size: 1, port: 1016, count: 1, data: [72] } }, text)
 *   // → { seq: 1, reason: 'KVM_EXIT_IO (2)', rip: '0x100c', detail: "OUT 1 byte(s) to port 0x3f8: 0x48 'H'" }
 */
export function exitRow(exit: Omit<KvmExitMessage, 'type'>, text: KvmLabText): ExitRow {
  const base = { seq: exit.seq, reason: `KVM_EXIT_${exit.reason.toUpperCase()} (${exit.reasonCode})`, rip: hex(exit.rip, 4) };
  if (exit.io) {
    const vars = { size: exit.io.size, port: hex(exit.io.port, 2), bytes: exit.io.data.map(byteText).join(' ') };
    return { ...base, detail: fill(text[exit.io.direction === 'out' ? 'kvm.exit.out' : 'kvm.exit.in'], vars) };
  }
  switch (exit.reason) {
    case 'hlt':
      return { ...base, detail: text['kvm.exit.hlt'] };
    case 'shutdown':
      return { ...base, detail: text['kvm.exit.shutdown'] };
    case 'internal_error':
      return { ...base, detail: fill(text['kvm.exit.internal_error'], { suberror: exit.suberror ?? '?' }) };
    default:
      return { ...base, detail: text['kvm.exit.other'] };
  }
}

export interface HelloSummary {
  /** The streamed run: its time per exit includes sending each listed exit to the page. */
  summary: string;
  /** The cost of one exit, timed without streaming, and what streaming adds. */
  exitCost: string;
  counts: string;
  /** Set when more exits happened than were listed. */
  streamed: string | null;
}

/**
 * The streamed run's time per exit is never called the cost of an exit: that figure comes from
 * the unstreamed timing.
 * @example helloSummary(done, text, 'en').exitCost
 *   // → 'One exit costs 8.4 µs (119,048 exits per second; module kvm_pvm). Timed with out-loop, … Sending one exit to this page adds 45.1 µs.'
 */
export function helloSummary(done: HelloKvmDone, text: KvmLabText, locale: Locale): HelloSummary {
  const counts = Object.entries(done.exitCounts)
    .map(([reason, n]) => `${reason} ${formatNumber(n, locale)}`)
    .join(', ');
  return {
    summary: fill(text['kvm.hello.summary'], {
      total: formatNumber(done.totalExits, locale),
      micros: formatNumber(done.elapsedMicroseconds, locale),
      shown: formatNumber(done.streamedExits, locale),
      streamedPerExit: formatNumber(done.streamedMicrosecondsPerExit, locale, 1),
    }),
    exitCost: [
      done.microsecondsPerExit === null || done.exitsPerSecond === null
        ? text['kvm.hello.exitCostUnknown']
        : fill(text['kvm.hello.exitCost'], {
            perExit: formatNumber(done.microsecondsPerExit, locale, 1),
            perSecond: formatNumber(done.exitsPerSecond, locale),
            module: done.kvmModule,
            low: formatNumber(done.exitTimingCounts[0], locale),
            high: formatNumber(done.exitTimingCounts[1], locale),
          }),
      // Below zero only when the host was busier during the unstreamed run: then there is nothing to say.
      done.streamingMicrosecondsPerExit !== null && done.streamingMicrosecondsPerExit > 0
        ? fill(text['kvm.hello.streaming'], { streaming: formatNumber(done.streamingMicrosecondsPerExit, locale, 1) })
        : '',
    ]
      .filter(Boolean)
      .join(' '),
    counts: fill(text['kvm.hello.counts'], { counts }),
    streamed:
      done.streamedExits < done.totalExits
        ? fill(text['kvm.hello.streamed'], {
            shown: formatNumber(done.streamedExits, locale),
            total: formatNumber(done.totalExits, locale),
          })
        : null,
  };
}
