import { BrokerError } from '../errors';
import type { Scheduler, TimerHandle } from './scheduler';

/**
 * The receiving end of one `ask`: settles its promise exactly once, with the handler's result,
 * the failure, or a REQUEST_TIMED_OUT when the asker's deadline passes first. A timeout does not
 * withdraw the message (as in Akka): it is still processed, its result is simply discarded.
 */
export class PendingReply {
  private timer: TimerHandle | undefined;
  private done = false;

  constructor(
    private readonly resolveFn: (value: unknown) => void,
    private readonly rejectFn: (error: Error) => void,
    private readonly scheduler: Scheduler,
  ) {}

  // Kept as parts so that the error text (and the Error) is only built when the deadline passes.
  private target = '';
  private messageType = '';
  private timeoutMs = 0;

  /** Arms the deadline; only called when the asker asked for one (no timer per message otherwise). */
  startTimer(timeoutMs: number, target: string, messageType: string): void {
    this.target = target;
    this.messageType = messageType;
    this.timeoutMs = timeoutMs;
    this.timer = this.scheduler.setTimeout(timeOut, timeoutMs, this);
  }

  timeoutError(): BrokerError {
    return new BrokerError(
      'REQUEST_TIMED_OUT',
      `Request '${this.messageType}' to ${this.target} timed out after ${this.timeoutMs} ms`,
    );
  }

  get settled(): boolean {
    return this.done;
  }

  resolve(value: unknown): void {
    if (this.done) return;
    this.finish();
    this.resolveFn(value);
  }

  reject(error: Error): void {
    if (this.done) return;
    this.finish();
    this.rejectFn(error);
  }

  private finish(): void {
    this.done = true;
    if (this.timer !== undefined) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

function timeOut(reply: PendingReply): void {
  reply.reject(reply.timeoutError());
}
