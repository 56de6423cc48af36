/**
 * Progress of long steps: a live bar on a terminal (cli-progress), a few
 * plain lines elsewhere (CI logs, pipes), nothing when asked to be quiet.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, detail?: string): void;
  /** A step whose size is unknown: counts up. */
  tick(detail?: string): void;
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Force one mode; by default a bar when the stream is a TTY. */
  mode?: 'bar' | 'lines' | 'silent';
}

class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;
  private done = 0;

  constructor(stream: NodeJS.WritableStream) {
    this.bar = new cliProgress.SingleBar(
      { format: '{label} [{bar}] {value}/{total} {detail}', stream: stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
  }

  start(total: number, label: string): void {
    this.done = 0;
    this.bar.start(Math.max(total, 1), 0, { label, detail: '' });
  }

  update(done: number, detail = ''): void {
    this.done = done;
    this.bar.update(done, { detail });
  }

  tick(detail = ''): void {
    this.done += 1;
    if (this.done > this.bar.getTotal()) this.bar.setTotal(this.done);
    this.bar.update(this.done, { detail });
  }

  stop(): void {
    this.bar.stop();
  }
}

/** Prints at the start, at every quarter and at the end: enough for a log, not a flood. */
class LineProgress implements Progress {
  private total = 0;
  private label = '';
  private done = 0;
  private lastQuarter = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  start(total: number, label: string): void {
    this.total = total;
    this.label = label;
    this.done = 0;
    // The start line stands for the first quarter.
    this.lastQuarter = 0;
    this.stream.write(`${label}: 0/${total}\n`);
  }

  update(done: number, detail = ''): void {
    this.done = done;
    const quarter = this.total > 0 ? Math.floor((done / this.total) * 4) : 0;
    if (quarter > this.lastQuarter && quarter < 4) {
      this.lastQuarter = quarter;
      this.stream.write(`${this.label}: ${done}/${this.total}${detail ? ` ${detail}` : ''}\n`);
    }
  }

  tick(detail = ''): void {
    this.done += 1;
    if (this.done > this.total) this.total = this.done;
    this.update(this.done, detail);
  }

  stop(): void {
    this.stream.write(`${this.label}: ${this.done}/${this.total} done\n`);
  }
}

const silent: Progress = { start() {}, update() {}, tick() {}, stop() {} };

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? ((stream as NodeJS.WriteStream).isTTY ? 'bar' : 'lines');
  if (mode === 'silent') return silent;
  return mode === 'bar' ? new BarProgress(stream) : new LineProgress(stream);
}
