/**
 * Test support: a bare TCP Kafka client that sends frames as given and collects response frames in
 * arrival order, so tests can check ordering, closes and exact bytes.
 */
import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../frame-decoder';
import { encodeRequestFrame } from '../protocol/frame';
import type { RequestHeaderInput } from '../protocol/generated/index';
import { Reader } from '../protocol/reader';
import type { Writer } from '../protocol/writer';

export interface RawResponse {
  readonly correlationId: number;
  /** The bytes after the correlation id (a flexible response header's tagged fields included). */
  readonly body: Buffer;
}

export class RawKafkaClient {
  readonly responses: RawResponse[] = [];
  /** Resolves when the server closes the connection (or it errors). */
  readonly closed: Promise<void>;
  private readonly decoder = new FrameDecoder(1024 * 1024 * 1024);
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk);
      for (let f = this.decoder.next(); f !== undefined; f = this.decoder.next()) {
        this.responses.push({ correlationId: f.readInt32BE(0), body: f.subarray(4) });
      }
      this.wake();
    });
    socket.on('close', () => this.wake());
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawKafkaClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawKafkaClient(socket));
      });
    });
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readableEnded;
  }

  send(bytes: Buffer | readonly Buffer[]): void {
    this.socket.write(Buffer.isBuffer(bytes) ? bytes : Buffer.concat(bytes));
  }

  /** Encodes and sends one request frame. */
  request(header: RequestHeaderInput, writeBody: (w: Writer) => void = () => undefined): void {
    this.send(encodeRequestFrame(header, writeBody));
  }

  /** Waits until `n` responses have arrived; rejects if the connection closes first. */
  async waitForResponses(n: number): Promise<RawResponse[]> {
    while (this.responses.length < n) {
      if (this.isClosed) {
        throw new Error(`connection closed after ${this.responses.length} of ${n} responses`);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.responses.slice(0, n);
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** A reader over a response body, skipping the flexible response header's tagged fields. */
export function responseBodyReader(body: Buffer, flexibleHeader: boolean): Reader {
  const r = new Reader(body);
  if (flexibleHeader) {
    for (let n = r.readUnsignedVarint('header tags'), i = 0; i < n; i++) {
      r.readUnsignedVarint('tag');
      r.skip('tag', r.readUnsignedVarint('size'));
    }
  }
  return r;
}
