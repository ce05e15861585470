import type { KvmLabText } from './strings';
import type { LabFocus, LabPart } from './panel';
import type { BridgeClient } from '../../protocol/client';
import type { BridgeAddress } from '../../protocol/bridge-url';
import type { BridgeVmBackend } from './guest-backend';
import type { Locale } from '../../i18n/locale';

/** Where the panel's connection is; `loading` (fetching the session's code) is the first part's own. */
export type SessionPhase = 'idle' | 'connecting' | 'connected' | 'disconnected';

/** Props of the connection session (Session.svelte), loaded on the first "Connect". */
export interface SessionProps {
  text: KvmLabText;
  locale: Locale;
  focus: LabFocus | undefined;
  headingLevel: 2 | 3;
  /** The connection's phase and its status line, for the first part's form and live region. */
  onchange: (phase: SessionPhase, status: string) => void;
  /** The connected client, or null once it is gone (the comparison outside the session uses it). */
  onclient: (client: BridgeClient | null) => void;
}

export interface SessionExports {
  connect(address: BridgeAddress): void;
  disconnect(): void;
}

/** Props of the connected parts (Connected.svelte). */
export interface ConnectedProps {
  client: BridgeClient;
  text: KvmLabText;
  locale: Locale;
  parts: readonly LabPart[];
  headingLevel: 2 | 3;
}

/** Props of the guest's terminal (BridgeTerminal.svelte), loaded with the first guest. */
export interface TerminalProps {
  backend: BridgeVmBackend;
  text: KvmLabText;
  /** For the touch key bar's labels (src/features/terminal/strings.ts). */
  locale: Locale;
}
