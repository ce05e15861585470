import { VmError } from '../terminal/backend';

/**
 * Downloads a file as bytes, reporting progress, honouring an AbortSignal, and turning
 * HTTP and network failures into `VmError('asset-failed')` that name the file.
 * `total` is null when the server sends no Content-Length (or compresses on the fly).
 */
export async function fetchWithProgress(
  url: string,
  signal: AbortSignal,
  onProgress: (loaded: number, total: number | null) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new VmError('asset-failed', `${url}: ${error instanceof Error ? error.message : String(error)}`, url);
  }
  if (!response.ok || !response.body) {
    throw new VmError('asset-failed', `${url}: HTTP ${response.status}`, url);
  }
  const length = Number(response.headers.get('content-length'));
  // With Content-Encoding the length counts compressed bytes, not what the stream yields.
  const total = Number.isFinite(length) && length > 0 && !response.headers.get('content-encoding') ? length : null;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress(0, total);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      onProgress(loaded, total);
    }
  } catch (error) {
    if (signal.aborted) throw error;
    throw new VmError('asset-failed', `${url}: ${error instanceof Error ? error.message : String(error)}`, url);
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
