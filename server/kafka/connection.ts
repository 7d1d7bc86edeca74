/**
 * One Kafka client connection: frames in, responses out, strictly in request order.
 *
 * Requests are pipelined: each frame is dispatched as soon as it is complete, and its outcome
 * takes a slot in a FIFO; the head of the FIFO is written (or skipped, for NO_RESPONSE) as soon as
 * it settles, so a fast request behind a slow one waits for it (Kafka clients match responses to
 * requests by order). Reading stops (socket.pause) while `maxInFlight` requests are unanswered or
 * the socket's write buffer is above its high-water mark, and resumes when they drain; frames
 * already received stay in the decoder until then. Any bad input closes this connection alone.
 *
 * When the client ends the connection, its requests' signal aborts (long waits answer with what
 * they have) and the connection closes once they are answered, or after `endGraceMs` without the
 * answers of requests whose handlers did not heed the signal: a client that has gone must not hold
 * a connection open for as long as a request of its own choosing may wait (a JoinGroup's rebalance
 * timeout goes up to 2^31-1 ms). Kafka itself closes at once on end of stream.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../logger';
import { apiKeyInfo } from './protocol/generated/index';
import type { ConnectionInfo } from './handler';
import type { DispatchOutcome, Dispatcher } from './dispatcher';
import { FrameDecoder, FrameSizeError } from './frame-decoder';

export interface ConnectionLimits {
  /** Largest request frame accepted (Kafka's socket.request.max.bytes). */
  readonly maxRequestBytes: number;
  /** Requests dispatched and not yet answered before reading pauses. */
  readonly maxInFlight: number;
  /** Close a connection with nothing in flight after this long without traffic (connections.max.idle.ms). */
  readonly idleTimeoutMs: number;
  /** After the client ends the connection, how long requests in flight may still take to answer. */
  readonly endGraceMs: number;
}

interface Slot {
  outcome?: DispatchOutcome;
  /** `Name vN` of the request, for the log line when it is abandoned. */
  readonly api: string;
}

export class KafkaConnection {
  readonly info: ConnectionInfo;
  /** Resolves once the socket is closed, whatever closed it. */
  readonly closed: Promise<void>;
  private readonly logger: Logger;
  private readonly decoder: FrameDecoder;
  private readonly queue: Slot[] = [];
  private readonly abort = new AbortController();
  private isClosed = false;
  /** No more requests are read (listener stopping, or the client finished sending). */
  private draining = false;
  private paused = false;
  private endGrace: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    id: number,
    private readonly dispatcher: Dispatcher,
    private readonly limits: ConnectionLimits,
    logger: Logger,
  ) {
    const host = socket.remoteAddress ?? 'unknown';
    const clientAddress = `${host.includes(':') ? `[${host}]` : host}:${socket.remotePort ?? 0}`;
    this.info = { id, clientAddress };
    this.logger = logger.child({ client: clientAddress, connection: id });
    this.decoder = new FrameDecoder(limits.maxRequestBytes);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));

    socket.setNoDelay(true);
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.pump());
    socket.on('end', () => this.onEnd());
    socket.on('timeout', () => this.onIdle());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Resets and broken pipes are how clients leave; nothing to act on beyond closing.
      this.logger.debug({ code: error.code }, `Kafka connection error: ${error.message}`);
    });
    socket.on('close', () => this.onClose());
  }

  /** Requests dispatched and not yet answered. */
  get inFlight(): number {
    return this.queue.length;
  }

  /**
   * Stops reading new requests, lets those in flight finish (their handlers see `signal`
   * aborted, so long polls return early), writes their responses, then closes. Resolves when
   * closed; the caller bounds the wait and calls `destroy` past it.
   */
  shutdown(): Promise<void> {
    if (!this.isClosed) {
      this.draining = true;
      this.abort.abort(new Error('the Kafka listener is stopping'));
      this.updateReading();
      this.endIfDone();
    }
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.draining || this.isClosed) return;
    this.decoder.push(chunk);
    this.pump();
  }

  /** Dispatches complete frames while the limits allow, then sets the socket's reading state. */
  private pump(): void {
    while (!this.isClosed && !this.draining && this.canDispatch()) {
      let payload: Buffer | undefined;
      try {
        payload = this.decoder.next();
      } catch (error) {
        // Only FrameSizeError is expected; anything else must still not escape a socket event.
        this.dispatcher.stats.rejected++;
        this.close('frame', error instanceof FrameSizeError ? error.message : String(error));
        return;
      }
      if (payload === undefined) break;
      this.dispatch(payload);
    }
    this.updateReading();
  }

  private canDispatch(): boolean {
    return this.queue.length < this.limits.maxInFlight && !this.socket.writableNeedDrain;
  }

  private dispatch(payload: Buffer): void {
    const result = this.dispatcher.dispatch(payload, {
      info: this.info,
      logger: this.logger,
      signal: this.abort.signal,
    });
    if (!(result instanceof Promise)) {
      if (result.kind === 'close') {
        // Decided from the bytes alone: close now, without waiting for earlier responses.
        this.close(result.api, result.reason);
        return;
      }
      this.queue.push({ outcome: result, api: '' });
      this.flush();
      return;
    }
    const slot: Slot = { api: describeRequest(payload) };
    this.queue.push(slot);
    // The dispatcher never rejects; the catch keeps a bug from becoming an unhandled rejection.
    result.then(
      (outcome) => this.settle(slot, outcome),
      (error: unknown) => this.settle(slot, { kind: 'close', api: 'request', reason: String(error) }),
    );
  }

  private settle(slot: Slot, outcome: DispatchOutcome): void {
    slot.outcome = outcome;
    this.flush();
    this.pump();
  }

  /** Writes every settled response at the head of the queue, in request order. */
  private flush(): void {
    if (this.isClosed) return;
    let corked = false;
    while (this.queue.length > 0) {
      const outcome = (this.queue[0] as Slot).outcome;
      if (outcome === undefined) break;
      this.queue.shift();
      if (outcome.kind === 'close') {
        if (corked) this.socket.uncork();
        this.close(outcome.api, outcome.reason);
        return;
      }
      if (outcome.kind === 'response') {
        if (!corked) {
          this.socket.cork();
          corked = true;
        }
        for (const b of outcome.frame) this.socket.write(b);
      }
    }
    if (corked) this.socket.uncork();
    this.endIfDone();
  }

  private updateReading(): void {
    const read = !this.isClosed && !this.draining && this.canDispatch();
    if (read && this.paused) {
      this.paused = false;
      this.socket.resume();
    } else if (!read && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private onEnd(): void {
    // The client has sent its last byte (allowHalfOpen): answer what was complete, then close.
    if (this.decoder.bufferedBytes > 0) {
      this.logger.debug(
        `Kafka client ended the connection inside a frame (${this.decoder.bufferedBytes} bytes)`,
      );
    }
    this.draining = true;
    // A client that closes its connection sends the same FIN as one that only half-closes: long
    // waits (Fetch's maxWaitMs) must not outlive it, so they end now and answer what they have.
    if (!this.abort.signal.aborted) this.abort.abort(new Error('the Kafka client ended the connection'));
    this.pump();
    this.endIfDone();
    if (!this.isClosed && this.endGrace === undefined) {
      this.endGrace = setTimeout(() => this.abandon(), this.limits.endGraceMs);
      this.endGrace.unref();
    }
  }

  /** The client has gone and some requests still run past the grace: close without their answers. */
  private abandon(): void {
    if (this.isClosed) return;
    const pending = this.queue.filter((s) => s.outcome === undefined).map((s) => s.api);
    this.logger.info(
      { pending },
      `Kafka client ended the connection; closing it without the answers of ${pending.length} request(s) still running after ${this.limits.endGraceMs} ms: ${pending.join(', ')}`,
    );
    this.isClosed = true;
    this.socket.destroy();
  }

  private endIfDone(): void {
    if (this.draining && !this.isClosed && this.queue.length === 0) {
      this.isClosed = true;
      this.socket.end(() => this.socket.destroy());
    }
  }

  private onIdle(): void {
    if (this.queue.length > 0) {
      // A long poll in flight is not idleness; check again after another period.
      this.socket.setTimeout(this.limits.idleTimeoutMs);
      return;
    }
    this.logger.info(`closing Kafka connection idle for ${this.limits.idleTimeoutMs} ms`);
    this.isClosed = true;
    this.socket.destroy();
  }

  private close(api: string, reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.logger.warn(
      { api, reason },
      `closing Kafka connection from ${this.info.clientAddress}: ${api}: ${reason}`,
    );
    this.socket.destroy();
  }

  private onClose(): void {
    this.isClosed = true;
    clearTimeout(this.endGrace);
    this.queue.length = 0;
    if (!this.abort.signal.aborted) this.abort.abort(new Error('the Kafka connection closed'));
  }
}

function describeRequest(payload: Buffer): string {
  if (payload.length < 4) return 'a request';
  const key = payload.readInt16BE(0);
  return `${apiKeyInfo(key)?.name ?? `api key ${key}`} v${payload.readInt16BE(2)}`;
}
