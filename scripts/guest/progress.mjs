// @ts-check
/**
 * Progress display for long steps (the kernel build takes minutes). On a terminal it
 * redraws one status line; in CI or a log file it prints a line every 10 % or 30 s, so
 * logs stay short but show that work goes on.
 */

/**
 * Formats elapsed time as m:ss.
 * @example formatElapsed(151_000) // → '2:31'
 * @param {number} ms
 */
export function formatElapsed(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * One progress line. With a total, a bar and a percentage (capped at 99 % until the step
 * says it is done: a total from an earlier build is an estimate).
 * @example formatProgressLine({ label: 'kernel', done: 5, total: 10, detail: 'fs/super.o', elapsedMs: 61_000, barWidth: 10 })
 *   // → 'kernel [#####-----]  50%  5/10  1:01  fs/super.o'
 * @param {{ label: string, done: number, total?: number | undefined, detail?: string | undefined, elapsedMs: number, barWidth?: number }} p
 */
export function formatProgressLine({ label, done, total, detail, elapsedMs, barWidth = 24 }) {
  const time = formatElapsed(elapsedMs);
  const tail = detail ? `  ${detail}` : '';
  if (!total || total <= 0) return `${label}  ${done > 0 ? `${done}  ` : ''}${time}${tail}`;
  const fraction = Math.min(done / total, 0.99);
  const filled = Math.round(fraction * barWidth);
  const bar = '#'.repeat(filled) + '-'.repeat(barWidth - filled);
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${label} [${bar}] ${pct}  ${done}/${total}  ${time}${tail}`;
}

/**
 * @param {{ label: string, total?: number | undefined, stream?: NodeJS.WriteStream, interactive?: boolean }} options
 */
export function createProgress({ label, total, stream = process.stderr, interactive }) {
  const live = interactive ?? Boolean(stream.isTTY && !process.env['CI']);
  const started = Date.now();
  let done = 0;
  /** @type {string | undefined} */
  let detail;
  let lastLoggedDecile = -1;
  let lastLoggedAt = started;

  const line = () => formatProgressLine({ label, done, total, detail, elapsedMs: Date.now() - started, barWidth: 24 });
  const draw = () => {
    const columns = stream.columns || 100;
    stream.write(`\r\u001b[K${line().slice(0, columns - 1)}`);
  };
  // Redraw each second so the clock moves while make is quiet (linking takes a while).
  const timer = live ? setInterval(draw, 1000) : undefined;
  if (!live) stream.write(`${label}…\n`);
  timer?.unref();

  return {
    /**
     * Records progress; `detail` is what is being worked on now.
     * @param {number} count
     * @param {string} [now]
     */
    set(count, now) {
      done = count;
      detail = now;
      if (live) return draw();
      const decile = total ? Math.floor((Math.min(done / total, 0.99) * 100) / 10) : -1;
      if (decile > lastLoggedDecile || Date.now() - lastLoggedAt > 30_000) {
        lastLoggedDecile = Math.max(decile, lastLoggedDecile);
        lastLoggedAt = Date.now();
        stream.write(`${line()}\n`);
      }
    },
    /**
     * Ends the display with a final message.
     * @param {string} message
     */
    finish(message) {
      if (timer) clearInterval(timer);
      stream.write(`${live ? '\r\u001b[K' : ''}${label}: ${message} (${formatElapsed(Date.now() - started)})\n`);
    },
    /** Clears the live line (before an error is printed). */
    abort() {
      if (timer) clearInterval(timer);
      if (live) stream.write('\r\u001b[K');
    },
  };
}
