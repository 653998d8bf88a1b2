/**
 * The sweeper: periodic housekeeping that time alone makes necessary — expiring registration
 * sessions (and deleting what they captured), purging captures past retention, recycling
 * numbers whose cooling-off is over, suspending numbers whose re-verification is overdue,
 * dropping expired staff sessions. Each task runs on its own; one failing does not stop the rest.
 */
export interface SweepTask { name: string; run(): Promise<number> }

export interface SweepLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Sweeper {
  runOnce(): Promise<Record<string, number>>;
  /** Runs a round every `intervalMs` until stop(). */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createSweeper(tasks: readonly SweepTask[], opts: { log: SweepLog }): Sweeper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<Record<string, number>> | undefined;

  async function round(): Promise<Record<string, number>> {
    const done: Record<string, number> = {};
    for (const task of tasks) {
      try {
        done[task.name] = await task.run();
      } catch (err) {
        opts.log.error({ err, task: task.name }, 'sweeper task failed');
      }
    }
    const changed = Object.fromEntries(Object.entries(done).filter(([, n]) => n > 0));
    if (Object.keys(changed).length > 0) opts.log.info({ sweep: changed }, 'sweeper round');
    return done;
  }

  function runOnce(): Promise<Record<string, number>> {
    if (!running) running = round().finally(() => { running = undefined; });
    return running;
  }

  return {
    runOnce,
    start(intervalMs) {
      if (timer) return;
      timer = setInterval(() => { void runOnce(); }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
