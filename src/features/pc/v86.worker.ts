/**
 * The browser PC's emulator in a dedicated Web Worker (see v86-host.ts). The page starts one
 * worker per machine start and terminates it to stop the machine, which frees all its memory.
 */
import type { ToMachine } from './machine-messages';
import { V86Host } from './v86-host';

const host = new V86Host((message, transfer) => postMessage(message, { transfer: transfer ?? [] }));
addEventListener('message', (event: MessageEvent<ToMachine>) => host.handle(event.data));
