/**
 * The bridge's host check as the panel shows it: each item's status word, its sentence and, for a
 * warning or a failure, what to do — all from messages.ts in the page's language.
 */
import type { KvmLabText } from './strings';
import { fill } from '../../i18n/fill';
import { formatMessage } from '../../protocol/texts';
import type { CheckItem, HostCheck } from '../../protocol/schema';
import type { Locale } from '../../i18n/locale';

export interface ChecklistRow {
  id: CheckItem['id'];
  status: CheckItem['status'];
  /** The status as a word (never colour alone). */
  statusLabel: string;
  text: string;
  /** What to do; empty for `ok` and `info`. */
  fixes: string[];
}

export interface ChecklistView {
  rows: ChecklistRow[];
  /** What kind of KVM this host has, said plainly (hardware, software such as kvm_pvm, none). */
  kind: string;
  summary: string;
  /** The KVM module's name, when one is loaded. */
  module: string | null;
}

/**
 * @example checklistView(check, 'en', text).kind
 *   // → 'KVM on this PC: software (kvm_pvm). /dev/kvm exists, but it is not VT-x/AMD-V: …'
 */
export function checklistView(check: HostCheck, locale: Locale, text: KvmLabText): ChecklistView {
  const rows = check.items.map((item) => ({
    id: item.id,
    status: item.status,
    statusLabel: text[`kvm.host.status.${item.status}`],
    text: formatMessage(item.message, locale, item.params),
    fixes: item.fixes.map((fix) => formatMessage(fix, locale)),
  }));
  const module = kvmModule(check);
  return {
    rows,
    kind: fill(text[`kvm.host.kind.${check.kvmKind}`], { module: module ?? '?' }),
    summary: formatMessage(check.summary, locale, check.summaryParams),
    module,
  };
}

/** The loaded KVM module (kvm_intel, kvm_amd, kvm_pvm…) as the host check reported it. */
export function kvmModule(check: HostCheck): string | null {
  const value = check.items.find((i) => i.id === 'kvm-module')?.params['module'];
  return typeof value === 'string' ? value : null;
}
