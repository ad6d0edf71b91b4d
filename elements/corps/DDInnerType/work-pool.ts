/**
 * A work queue drained by at most `concurrency` workers at a time. Work may add more work (the
 * department walk queues each department's children as it finds them), so the queue is FIFO and the
 * walk stays breadth-first. A task's failure is the task's business: tasks catch their own errors
 * (a failed department is recorded, not thrown), so one failure never stops the others.
 */
export class WorkPool<T> {
  private readonly queue: T[] = [];
  private running = 0;
  private idle?: () => void;
  private aborted?: unknown;

  constructor(
    private readonly concurrency: number,
    private readonly work: (item: T, pool: WorkPool<T>) => Promise<void>,
    private readonly signal?: AbortSignal,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be an integer >= 1 (got ${concurrency})`);
  }

  add(item: T): void {
    this.queue.push(item);
    this.pump();
  }

  /** Resolves when the queue is empty and no work runs; when aborted, rejects once running work has settled. */
  drain(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.running === 0 && this.aborted !== undefined) return reject(this.aborted);
        if (this.running === 0 && this.queue.length === 0) return resolve();
        this.idle = check;
      };
      check();
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0 && this.aborted === undefined) {
      if (this.signal?.aborted) {
        this.aborted = this.signal.reason ?? new Error('aborted');
        break;
      }
      const item = this.queue.shift() as T;
      this.running++;
      void this.work(item, this)
        .catch((err) => {
          // Tasks record their own failures; reaching here is a bug, so stop rather than hide it.
          this.aborted ??= err;
        })
        .finally(() => {
          this.running--;
          this.pump();
          this.notify();
        });
    }
    this.notify();
  }

  private notify(): void {
    const idle = this.idle;
    this.idle = undefined;
    idle?.();
  }
}
