// @ts-check
/**
 * Serves the built site (dist/) on 127.0.0.1 only — the same way a school LAN server
 * would serve the folder. Used by `./course start`, the e2e tests and the benchmarks.
 */
import http from 'node:http';
import { existsSync } from 'node:fs';
import sirv from 'sirv';

/**
 * A .gz file here is a download (the course archive /unduh/…tar.gz), not a precompressed page: sirv
 * would send it with `Content-Encoding: gzip`, and a browser would then save the unpacked tar under
 * the .tar.gz name. Its headers are rewritten as they are written.
 * @param {http.ServerResponse} res
 */
function downloadAsIs(res) {
  const writeHead = res.writeHead.bind(res);
  /** @type {(code: number, headers?: Record<string, string | number>) => http.ServerResponse} */
  const plain = (code, headers = {}) => {
    const { 'Content-Encoding': _encoding, ...rest } = headers;
    return writeHead(code, { ...rest, 'Content-Type': 'application/gzip' });
  };
  res.writeHead = /** @type {typeof res.writeHead} */ (plain);
}

/**
 * @param {{ root: string, port?: number, host?: string, headers?: Record<string, string> }} options
 *   port 0 picks a free port; `headers` are added to every file response (the guest benchmark
 *   asks for cross-origin isolation this way, to measure memory)
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startStaticServer({ root, port = 0, host = '127.0.0.1', headers = {} }) {
  if (!existsSync(root)) throw new Error(`No built site at ${root}: run \`npm run build\` first.`);
  const serve = sirv(root, {
    etag: true,
    setHeaders(res, pathname) {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      // The service worker must be revalidated so a rebuilt site reaches learners.
      if (pathname === '/sw.js') res.setHeader('Cache-Control', 'no-cache');
    },
  });
  const server = http.createServer((req, res) => {
    if (/\.gz(?:[?#]|$)/.test(req.url ?? '')) downloadAsIs(res);
    return serve(req, res, () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end('<!doctype html><html lang="id"><title>404</title><p>Tidak ditemukan / Not found</p></html>');
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
