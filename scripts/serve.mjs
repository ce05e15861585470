// @ts-check
/** `npm run preview`: serve dist/ on 127.0.0.1 (PORT, default 4321) until Ctrl-C. */
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';

const root = fileURLToPath(new URL('../dist/', import.meta.url));
const port = Number(process.env['PORT'] ?? 4321);
try {
  const server = await startStaticServer({ root, port });
  console.log(`Lab Virtualisasi: ${server.url}/  (Bahasa Indonesia)  ·  ${server.url}/en/  (English)`);
  console.log('Tekan Ctrl-C untuk berhenti / Press Ctrl-C to stop.');
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (error) {
  const code = /** @type {{ code?: string }} */ (error).code;
  if (code === 'EADDRINUSE') {
    console.error(`Port ${port} sedang dipakai / is in use. Coba / try: PORT=4322 ./course start`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
