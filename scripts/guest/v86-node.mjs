// @ts-check
/**
 * Runs the course's guest in v86 under Node and talks to it over its serial console: used
 * by the build (to save the boot snapshot) and by the guest test tier. The browser back end
 * (src/features/pc/v86.ts) configures v86 from the same module, src/guest/image.ts.
 */
import { createRequire } from 'node:module';
import { V86 } from 'v86';
import {
  AGENT_PORT,
  CONSOLE_PORT,
  GUEST_CMDLINE,
  GUEST_V86_DEVICES,
  agentWinsize,
} from '../../src/guest/image.ts';
import { matchPrompt } from '../../src/guest/prompt.ts';

// Under ESM Node v86 looks for ./build/v86.wasm relative to the working directory
// unless given an absolute path.
export const V86_WASM = createRequire(import.meta.url).resolve('v86/build/v86.wasm');

/**
 * @typedef {{ bios: Uint8Array, kernel: Uint8Array, initrd?: Uint8Array }} BootFiles
 * @typedef {import('../../src/guest/image.ts').GuestMachine} GuestMachine
 * @typedef {{ state: Uint8Array }} SavedState
 */

/** @param {Uint8Array} bytes */
const arrayBuffer = (bytes) =>
  /** @type {ArrayBuffer} */ (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

/** A running guest; `output` is everything it has written to its serial console. */
export class NodeGuest {
  /**
   * @param {BootFiles | SavedState} source
   * @param {GuestMachine} machine the machine the image was built for (manifest `machine`)
   */
  constructor(source, machine) {
    if (!('state' in source) && machine.separateInitrd !== Boolean(source.initrd)) {
      throw new Error(machine.separateInitrd ? 'this machine boots with a separate initrd' : 'this kernel carries its initramfs: no initrd');
    }
    this.startedAt = performance.now();
    this.output = '';
    /** @type {Array<() => void>} */
    this.waiters = [];
    const decoder = new TextDecoder('utf-8');
    this.emulator = new V86({
      wasm_path: V86_WASM,
      memory_size: machine.memoryBytes,
      autostart: true,
      disable_keyboard: true,
      disable_mouse: true,
      disable_speaker: true,
      ...GUEST_V86_DEVICES,
      ...('state' in source
        ? // v86 recognises zstd-compressed states by their magic number.
          { initial_state: { buffer: arrayBuffer(source.state) } }
        : {
            bios: { buffer: arrayBuffer(source.bios) },
            bzimage: { buffer: arrayBuffer(source.kernel) },
            ...(source.initrd ? { initrd: { buffer: arrayBuffer(source.initrd) } } : {}),
            cmdline: GUEST_CMDLINE,
          }),
    });
    /** Resolves when v86 has loaded (and, for a saved state, restored it): input sent before is lost. */
    this.ready = new Promise((resolve) => this.emulator.add_listener('emulator-loaded', () => resolve(undefined)));
    this.emulator.add_listener('serial0-output-byte', (byte) => {
      this.output += decoder.decode(new Uint8Array([byte]), { stream: true });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /**
   * Resolves with the output written since `from` once `test` accepts it; rejects after
   * `timeoutMs` with the tail of the output, so a failing test shows what the guest said.
   * @param {(text: string) => boolean} test
   * @param {{ from?: number, timeoutMs?: number, what?: string }} [options]
   * @returns {Promise<string>}
   */
  waitFor(test, { from = 0, timeoutMs = 30_000, what = 'the expected output' } = {}) {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last output:\n${this.output.slice(-1500)}`));
      }, timeoutMs);
      const check = () => {
        if (settled) return;
        const text = this.output.slice(from);
        if (test(text)) {
          settled = true;
          clearTimeout(timer);
          resolve(text);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /**
   * Waits for the shell prompt at the end of the output since `from`.
   * @param {{ from?: number, timeoutMs?: number }} [options]
   */
  waitForPrompt(options = {}) {
    return this.waitFor((text) => matchPrompt(text) !== null, { ...options, what: 'the shell prompt' });
  }

  /** @param {string} text */
  send(text) {
    this.emulator.serial_send_bytes(CONSOLE_PORT, new TextEncoder().encode(text));
  }

  /**
   * Tells lab-agent the terminal's size (see scripts/guest/init.sh).
   * @param {number} cols
   * @param {number} rows
   */
  resize(cols, rows) {
    this.emulator.serial_send_bytes(AGENT_PORT, new TextEncoder().encode(agentWinsize(cols, rows)));
  }

  /**
   * Types a command at the prompt and returns what it printed and its exit status.
   * Markers around it separate its output from the echo of the typed line: the typed text
   * has `@@be""gin@@` and `$?`, the printed text `@@begin@@` and digits, so the echo (which
   * the line editor may wrap and redraw) never matches.
   * @param {string} command
   * @param {{ timeoutMs?: number }} [options]
   * @returns {Promise<{ output: string, status: number }>}
   */
  async run(command, { timeoutMs = 30_000 } = {}) {
    const from = this.output.length;
    this.send(`echo @@be""gin@@; ${command}; echo "@@status=$?@@"\n`);
    const done = /@@begin@@\r?\n([\s\S]*)@@status=(\d+)@@\r?\n/;
    const text = await this.waitFor((t) => done.test(t) && matchPrompt(t) !== null, {
      from,
      timeoutMs,
      what: `\`${command}\` to finish`,
    });
    const m = done.exec(text);
    return { output: (m?.[1] ?? '').replace(/\r\n/g, '\n'), status: Number(m?.[2]) };
  }

  /** Milliseconds since the guest was created. */
  elapsedMs() {
    return performance.now() - this.startedAt;
  }

  /** Pauses the CPU and returns the saved machine state (uncompressed). */
  async saveState() {
    await this.emulator.stop();
    return new Uint8Array(await this.emulator.save_state());
  }

  /** Stops the emulator and frees it. */
  async destroy() {
    this.waiters.length = 0;
    await this.emulator.destroy();
  }
}
