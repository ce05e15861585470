/**
 * v86 for the micro-program comparison in the page: the emulator's code and its wasm are fetched
 * only when the learner runs the comparison (as src/features/pc/v86.ts does for the browser PC), and the
 * wasm is compiled once for all the runs.
 */
import v86WasmUrl from 'v86/build/v86.wasm?url';
import type { V86Engine } from './micro-v86';

export async function loadBrowserV86(signal?: AbortSignal): Promise<V86Engine> {
  if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available in this browser');
  const [{ V86 }, response] = await Promise.all([
    import('v86'),
    fetch(new URL(v86WasmUrl, location.href).href, { signal: signal ?? null }),
  ]);
  if (!response.ok) throw new Error(`v86.wasm: HTTP ${response.status}`);
  const module = await WebAssembly.compile(await response.arrayBuffer());
  return {
    V86,
    wasm: { wasm_fn: async (imports: WebAssembly.Imports) => (await WebAssembly.instantiate(module, imports)).exports },
  };
}
