import type { SyncReporter, SyncSummary } from '../sync/sync-report.js';

/** A progress bar on a terminal, plain lines otherwise; summaries in one format. */
export class ProgressPrinter implements SyncReporter {
  private lastLine = 0;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly err: NodeJS.WriteStream = process.stderr,
  ) {}

  progress(done: number, total: number | null): void {
    if (this.err.isTTY) {
      const width = 30;
      const ratio = total ? Math.min(done / total, 1) : 0;
      const filled = Math.round(ratio * width);
      this.err.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}${total ? `/${total}` : ''}`);
    } else if (done - this.lastLine >= 500 || done === total) {
      this.out.write(`${this.label}: ${done}${total ? ` of ${total}` : ''}\n`);
      this.lastLine = done;
    }
  }

  line(text: string): void {
    if (this.err.isTTY) this.err.write('\r\x1b[K');
    this.out.write(`${text}\n`);
  }

  summary(title: string, summary: SyncSummary): void {
    if (this.err.isTTY) this.err.write('\n');
    this.out.write(
      `${title}: ${summary.total} in Clerk; created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, deactivated ${summary.deactivated}, failed ${summary.failed}\n`,
    );
  }
}
