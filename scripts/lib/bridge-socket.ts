/**
 * The page's bridge client (src/protocol/client.ts) run from Node, by benches and tests: Node's
 * own WebSocket (undici's, the WHATWG one browsers have), sending the headers a browser would
 * send by itself. The bridge refuses a WebSocket without an allowed Origin.
 */

/** The site's origin as the bridge allows it by default (Astro's dev server). */
export const SITE_ORIGIN = 'http://127.0.0.1:4321';

/** An `openSocket` for connectBridge(): Node's WebSocket with these headers (Origin by default). */
export function nodeBridgeSocket(headers: Record<string, string> = { origin: SITE_ORIGIN }): (url: string) => WebSocket {
  // undici takes a WebSocketInit where the DOM's types only know subprotocols.
  const init = { headers } as unknown as string[];
  return (url) => new WebSocket(url, init);
}
