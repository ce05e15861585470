/**
 * `npm run bridge` — starts the KVM bridge on 127.0.0.1 and prints one line: the WebSocket URL
 * with a fresh token, for the site panel. Ctrl-C (SIGINT) or SIGTERM kills every guest and exits.
 * `--check` prints the host checklist instead (a kvm-ok that explains). See PROTOCOL.md.
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_ALLOWED_ORIGINS, generateToken, normalizeOrigin } from './auth.ts';
import { buildHostCheck, gatherHostFacts } from './hostcheck.ts';
import { probeKvm } from './kvm-api.ts';
import { COURSE_MACHINES_DIR, loadMachines } from './machines.ts';
import { DEFAULT_LIMITS, type BridgeLimits } from './limits.ts';
import { formatMessage } from '../protocol/texts.ts';
import type { HostCheck } from '../protocol/schema.ts';
import { prepareRuntimeDir, sweepStaleGuestDirs } from './runtime-dir.ts';
import { startBridge } from './server.ts';

/** Default port: unassigned by IANA, far from Astro's 4321 and common dev servers. */
export const DEFAULT_PORT = 8477;

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const HELP = `Lab Virtualisasi — KVM bridge

  npm run bridge [-- options]

  --port N                  TCP port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)
  --origin URL              allowed page origin, repeatable (default ${DEFAULT_ALLOWED_ORIGINS.join(', ')})
  --machines-dir DIR        machine definitions, <id>.yaml (default src/kvm-bridge/machines/)
  --guest-dir DIR           guest images (default .cache/guest/out/, made by npm run guest:build;
                            without it guest/, where the course archive from the site puts the kernel)
  --qemu-dir DIR            where qemu-system-* live (default: PATH)
  --kvm-device PATH         KVM device for the micro-guest and checks (default /dev/kvm)
  --max-guests N            guests at once (default ${DEFAULT_LIMITS.maxGuests})
  --max-connections N       WebSocket connections at once (default ${DEFAULT_LIMITS.maxConnections})
  --max-guest-memory MiB    RAM per guest (default ${DEFAULT_LIMITS.maxGuestMemoryMiB})
  --lifetime SECONDS        a guest's longest life (default ${DEFAULT_LIMITS.guestLifetimeSeconds})
  --idle SECONDS            kill a guest after this long without input (default ${DEFAULT_LIMITS.guestIdleSeconds})
  --kvm-boot-timeout SECONDS  at most this long for a KVM boot to reach its prompt (default: the lab's)
  --rate N                  messages per second per connection (default ${DEFAULT_LIMITS.messagesPerSecond})
  --burst N                 message burst per connection (default ${DEFAULT_LIMITS.messageBurst})
  --max-input-queue BYTES   input waiting for a guest's console before more is refused (default ${DEFAULT_LIMITS.maxConsoleInputBytes})
  --max-send-buffer BYTES   replies waiting for a client before it is disconnected (default ${DEFAULT_LIMITS.maxSendBufferBytes})
  --max-micro-iterations N  loop iterations of one micro-run in all (default ${DEFAULT_LIMITS.maxMicroRunIterations})
  --check                   print the host checklist and exit
  --lang id|en              language of --check (default id)
  --help
`;

/**
 * The built guest (npm run guest:build) when there is one; otherwise `guest/`, where the course
 * archive the site serves (/unduh/…tar.gz) carries the kernel, so a school PC needs no kernel build.
 */
function defaultGuestDir(repo: string): string {
  const built = `${repo}.cache/guest/out`;
  const shipped = `${repo}guest`;
  return !existsSync(built) && existsSync(shipped) ? shipped : built;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      origin: { type: 'string', multiple: true },
      'machines-dir': { type: 'string', default: COURSE_MACHINES_DIR },
      'guest-dir': { type: 'string', default: defaultGuestDir(REPO) },
      'qemu-dir': { type: 'string' },
      'kvm-device': { type: 'string', default: '/dev/kvm' },
      'max-guests': { type: 'string' },
      'max-connections': { type: 'string' },
      'max-guest-memory': { type: 'string' },
      lifetime: { type: 'string' },
      idle: { type: 'string' },
      rate: { type: 'string' },
      'kvm-boot-timeout': { type: 'string' },
      burst: { type: 'string' },
      'max-input-queue': { type: 'string' },
      'max-send-buffer': { type: 'string' },
      'max-micro-iterations': { type: 'string' },
      check: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'id' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const kvmDevice = values['kvm-device'];
  let cachedCheck: Promise<HostCheck> | undefined;
  // The host does not change while the bridge runs; checking once keeps `auto` consistent.
  const hostCheck = (): Promise<HostCheck> =>
    (cachedCheck ??= gatherHostFacts({ kvmDevice, probeKvm: (path) => void probeKvm(path) }).then(buildHostCheck));

  if (values.check) {
    const locale = values.lang === 'en' ? 'en' : 'id';
    const check = await hostCheck();
    for (const item of check.items) {
      process.stdout.write(`[${item.status.padEnd(4)}] ${formatMessage(item.message, locale, item.params)}\n`);
      for (const fix of item.fixes) process.stdout.write(`       → ${formatMessage(fix, locale)}\n`);
    }
    process.stdout.write(`${formatMessage(check.summary, locale, check.summaryParams)}\n`);
    return;
  }

  const origins = values.origin ?? [...DEFAULT_ALLOWED_ORIGINS];
  for (const origin of origins)
    if (!normalizeOrigin(origin)) throw new Error(`--origin ${origin}: not an http(s) origin such as http://127.0.0.1:4321`);
  const limits: BridgeLimits = {
    ...DEFAULT_LIMITS,
    maxGuests: intFlag(values['max-guests'], DEFAULT_LIMITS.maxGuests, 'max-guests'),
    maxConnections: intFlag(values['max-connections'], DEFAULT_LIMITS.maxConnections, 'max-connections'),
    maxGuestMemoryMiB: intFlag(values['max-guest-memory'], DEFAULT_LIMITS.maxGuestMemoryMiB, 'max-guest-memory'),
    guestLifetimeSeconds: intFlag(values.lifetime, DEFAULT_LIMITS.guestLifetimeSeconds, 'lifetime'),
    guestIdleSeconds: intFlag(values.idle, DEFAULT_LIMITS.guestIdleSeconds, 'idle'),
    messagesPerSecond: intFlag(values.rate, DEFAULT_LIMITS.messagesPerSecond, 'rate'),
    messageBurst: intFlag(values.burst, DEFAULT_LIMITS.messageBurst, 'burst'),
    kvmBootTimeoutSeconds: intFlag(values['kvm-boot-timeout'], DEFAULT_LIMITS.kvmBootTimeoutSeconds, 'kvm-boot-timeout'),
    maxConsoleInputBytes: intFlag(values['max-input-queue'], DEFAULT_LIMITS.maxConsoleInputBytes, 'max-input-queue'),
    maxSendBufferBytes: intFlag(values['max-send-buffer'], DEFAULT_LIMITS.maxSendBufferBytes, 'max-send-buffer'),
    maxMicroRunIterations: intFlag(values['max-micro-iterations'], DEFAULT_LIMITS.maxMicroRunIterations, 'max-micro-iterations'),
  };
  // Guests' directories live in this user's private runtime directory, never loose in /tmp.
  const runtimeDir = prepareRuntimeDir();
  if (runtimeDir.note) process.stderr.write(`kvm-bridge: ${runtimeDir.note}\n`);
  if (runtimeDir.persistent) {
    const swept = sweepStaleGuestDirs(runtimeDir.path);
    for (const dir of swept.removed) process.stderr.write(`removed stale guest directory ${dir}\n`);
    for (const entry of swept.skipped) process.stderr.write(`left alone: ${entry}\n`);
  }
  const bridge = await startBridge({
    port: intFlag(values.port, DEFAULT_PORT, 'port', 0),
    token: generateToken(),
    allowedOrigins: origins,
    labs: loadMachines(resolve(values['machines-dir'])),
    // Absolute: QEMU runs in the guest's private directory, where a relative path means nothing.
    launch: {
      guestDir: resolve(values['guest-dir']),
      qemuDir: values['qemu-dir'] === undefined ? undefined : resolve(values['qemu-dir']),
      runtimeDir: runtimeDir.path,
    },
    kvmDevice,
    limits,
    hostCheck,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${formatMessage('bridge.stopping', 'id')} / ${formatMessage('bridge.stopping', 'en')}\n`);
    // Killing guests takes milliseconds; if something hangs anyway, leave rather than linger.
    setTimeout(() => process.exit(1), 10_000).unref();
    void bridge.close().then(() => {
      // A one-off runtime directory is this bridge's alone; the usual one stays for the next bridge.
      if (!runtimeDir.persistent) rmSync(runtimeDir.path, { recursive: true, force: true });
      process.exit(0);
    });
  };
  // Handlers first, URL second: whoever reads the URL may signal at once.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  // The one line on stdout: tests and the site panel read the URL from it. Notes go to stderr.
  process.stdout.write(`${bridge.url}\n`);
  process.stderr.write(`${formatMessage('bridge.ready', 'id')}\n${formatMessage('bridge.ready', 'en')}\n`);
}

function intFlag(value: string | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} ${value}: expected an integer ≥ ${min}`);
  return n;
}

main().catch((error: unknown) => {
  process.stderr.write(`kvm-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
