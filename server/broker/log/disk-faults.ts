/**
 * Fault injection for the partition's disk writes: operators (behind the dev/demo flag) and tests
 * make the next N writes fail to watch the broker report KAFKA_STORAGE_ERROR and stay consistent.
 */
export interface DiskFaults {
  failNextWrites(n: number, error?: Error): void;
}

/** An errno-style error as fs.writeSync throws it, so the log handles it like a real one. */
export function diskFullError(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });
}

export class DiskFaultInjector implements DiskFaults {
  private pending = 0;
  private error: Error | undefined;

  failNextWrites(n: number, error?: Error): void {
    this.pending = Math.max(0, Math.floor(n));
    this.error = error;
  }

  /**
   * Called before each write. Returns the error to raise when this write must fail; the writer
   * then writes part of its bytes first, as a full disk does, so that rollback is exercised.
   */
  takeFault(): Error | null {
    if (this.pending <= 0) return null;
    this.pending -= 1;
    return this.error ?? diskFullError();
  }
}
