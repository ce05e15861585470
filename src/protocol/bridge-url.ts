/**
 * The line `npm run bridge` prints (`ws://127.0.0.1:8477/ws?token=…`), as the learner pastes it:
 * parsed, checked, and remembered for this browser tab only. No zod and no protocol schemas here,
 * so the KVM lab panel can check a pasted line before it loads anything else.
 */
import { WS_PATH } from './constants.ts';

/** Where a bridge listens and the token it printed. */
export interface BridgeAddress {
  /** `127.0.0.1`, `localhost` or `[::1]`, as pasted. */
  readonly host: string;
  readonly port: number;
  /** The WebSocket URL the client opens, without the token (the token travels in `hello`). */
  readonly socketUrl: string;
  /** `host:port`, for messages. */
  readonly display: string;
  readonly token: string;
  /** The whole line again, normalised, for the input field and sessionStorage. */
  readonly line: string;
}

/** Why a pasted line is not a bridge URL; each has a sentence in src/features/kvm-lab/strings.ts (`kvm.url.*`). */
export type BridgeUrlProblem =
  /** Nothing was pasted. */
  | 'empty'
  /** No `ws://…` URL in the text. */
  | 'not-a-url'
  /** A URL, but `http:`, `https:` or `wss:` (the bridge speaks plain ws:// on loopback only). */
  | 'not-ws'
  /** A host other than 127.0.0.1, localhost or [::1]: the bridge never listens elsewhere. */
  | 'not-loopback'
  /** A path other than the bridge's `/ws`. */
  | 'wrong-path'
  /** No `token=` in the query. */
  | 'no-token'
  /** A token with characters the bridge never prints (it prints base64url). */
  | 'bad-token';

export type ParsedBridgeUrl =
  { readonly ok: true; readonly address: BridgeAddress } | { readonly ok: false; readonly problem: BridgeUrlProblem };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The bridge's token is base64url; 256 is the `hello` schema's limit. */
const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Checks a pasted bridge line. Text around the URL (a prompt, quotes, the "paste this URL" note the
 * bridge prints on stderr) is ignored.
 * @example parseBridgeUrl('ws://127.0.0.1:8477/ws?token=abc')
 *   // → { ok: true, address: { host: '127.0.0.1', port: 8477, socketUrl: 'ws://127.0.0.1:8477/ws', token: 'abc', … } }
 * @example parseBridgeUrl('ws://192.168.1.5:8477/ws?token=abc') // → { ok: false, problem: 'not-loopback' }
 */
export function parseBridgeUrl(text: string): ParsedBridgeUrl {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  const candidate = /\bws:\/\/[^\s"'<>`]+/i.exec(trimmed)?.[0] ?? /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/i.exec(trimmed)?.[0];
  if (candidate === undefined) return { ok: false, problem: 'not-a-url' };
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, problem: 'not-a-url' };
  }
  if (url.protocol !== 'ws:') return { ok: false, problem: 'not-ws' };
  if (url.username || url.password) return { ok: false, problem: 'not-a-url' };
  const host = url.hostname.toLowerCase();
  if (!LOOPBACK_HOSTS.has(host)) return { ok: false, problem: 'not-loopback' };
  if (url.pathname !== WS_PATH) return { ok: false, problem: 'wrong-path' };
  const token = url.searchParams.get('token');
  if (token === null || token === '') return { ok: false, problem: 'no-token' };
  if (!TOKEN.test(token)) return { ok: false, problem: 'bad-token' };
  const port = url.port === '' ? 80 : Number(url.port);
  const display = `${host}:${port}`;
  const socketUrl = `ws://${display}${WS_PATH}`;
  return { ok: true, address: { host, port, socketUrl, display, token, line: `${socketUrl}?token=${token}` } };
}

/**
 * The bridge command that allows a page's origin (the bridge refuses other origins).
 * @example originCommand('http://192.168.1.10:8080') // → 'npm run bridge -- --origin http://192.168.1.10:8080'
 */
export function originCommand(origin: string): string {
  return `npm run bridge -- --origin ${origin}`;
}

/** The plain-HTTP address of the same bridge (it answers 426 there), for telling "nothing listens" apart. */
export function bridgeHttpUrl(address: BridgeAddress): string {
  return `http://${address.display}/`;
}

/** sessionStorage key: the token changes at every bridge start, so it never outlives the tab. */
export const BRIDGE_URL_STORAGE_KEY = 'labvirt.kvmBridgeUrl';

type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Remembers the line for this tab; storage errors (private mode, policy) are ignored. */
export function rememberBridgeUrl(storage: SessionStore | undefined, address: BridgeAddress): void {
  try {
    storage?.setItem(BRIDGE_URL_STORAGE_KEY, address.line);
  } catch {
    // A blocked sessionStorage only means pasting again on the next page.
  }
}

/** The line remembered in this tab, if it is still a valid bridge URL. */
export function recallBridgeUrl(storage: SessionStore | undefined): BridgeAddress | null {
  try {
    const line = storage?.getItem(BRIDGE_URL_STORAGE_KEY);
    if (!line) return null;
    const parsed = parseBridgeUrl(line);
    return parsed.ok ? parsed.address : null;
  } catch {
    return null;
  }
}

export function forgetBridgeUrl(storage: SessionStore | undefined): void {
  try {
    storage?.removeItem(BRIDGE_URL_STORAGE_KEY);
  } catch {
    // nothing to forget
  }
}
