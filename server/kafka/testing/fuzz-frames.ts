/**
 * Test support for the listener fuzz: mutations of well-formed frames (fuzz-templates.ts) and
 * per-connection plans: a pipelined burst of frames the broker answers (valid ones and mutated
 * ones that still decode), ended by a malformed frame, an unfinished frame, or nothing, with the
 * answers the broker owes (fuzz-oracle.ts).
 */
import { BATCH, computeBatchCrc } from '../../broker/log/batch-header';
import type { AnyApiHandler } from '../handler';
import { API_KEYS } from '../protocol/generated/index';
import { ZSTD_BATCH_CONTENT_SIZE_AT } from './fuzz-aim';
import { streamFate, type StreamFate } from './fuzz-oracle';
import { pick, randomInt, rng, type Random } from './fuzz-random';
import type { FrameTemplate, LengthField } from './fuzz-templates';

const ZSTD = 4;

/** Mutations that leave a frame's size prefix alone (the frame stays a frame). */
const BODY_MUTATIONS = [
  'flip-bytes',
  'flip-bits',
  'length-lie',
  'huge-length',
  'truncate-body',
  'unknown-api',
  'unknown-version',
] as const;
/** Body mutations that sometimes leave a decodable frame (the others never do). */
const SURVIVABLE_MUTATIONS = [
  'flip-bytes',
  'flip-bits',
  'length-lie',
  'huge-length',
  'unknown-version',
  'batch-flip',
  'batch-lie',
] as const;
/**
 * Mutations of the RecordBatch inside a Produce frame, with its CRC recomputed so that the core's
 * checks past the CRC see them: record count, offsets, lengths, compressed payloads and their
 * frame headers (declared sizes, block sizes).
 */
const BATCH_MUTATIONS = ['batch-flip', 'batch-lie'] as const;
/** Mutations that end a connection's stream: a lying or impossible size prefix, or garbage. */
const FRAMING_MUTATIONS = [
  'size-smaller',
  'size-huge',
  'size-non-positive',
  'garbage',
  'garbage-sized',
] as const;
const TAIL_MUTATIONS = ['cut-stream', 'size-larger'] as const;
type BodyMutation = (typeof BODY_MUTATIONS)[number];
type BatchMutation = (typeof BATCH_MUTATIONS)[number];
type FramingMutation = (typeof FRAMING_MUTATIONS)[number];
type TailMutation = (typeof TAIL_MUTATIONS)[number];
export type MutationKind = BodyMutation | BatchMutation | FramingMutation | TailMutation;

function isIn<T extends string>(list: readonly T[], kind: string): kind is T {
  return (list as readonly string[]).includes(kind);
}

const INT16_LIES = [0x7fff, -2, -0x8000, 1, 0];
const INT32_LIES = [0x7fffffff, 0x40000000, 0x10000, -2, -0x80000000, 1, 0];
const UVARINT_LIES = [0xffffffff, 0x7fffffff, 0x10000, 0, 1, 2];

function encodeUvarint(v: number): Buffer {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

function uvarintSize(frame: Buffer, at: number): number {
  let n = 1;
  while (n < 5 && at + n - 1 < frame.length && ((frame[at + n - 1] as number) & 0x80) !== 0) n++;
  return n;
}

function readUvarintAt(frame: Buffer, at: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 128 + ((frame[at + i] as number) & 0x7f);
  return v;
}

/** Rewrites the frame's size prefix to match its length (after a splice). */
function fixSize(frame: Buffer): Buffer {
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

export interface FuzzFramesOptions {
  readonly templates: readonly FrameTemplate[];
  readonly handlers: readonly AnyApiHandler[];
  readonly maxRequestBytes: number;
  readonly seed: number;
}

export interface ConnectionPlan {
  readonly bytes: Buffer;
  /** Frames the broker reads from this connection (the closing one included). */
  readonly frames: number;
  /** Correlation ids the broker must answer, in order (all of them unless it must close). */
  readonly expected: readonly number[];
  /** The API and version of each frame the broker handles (answered or silent), in order. */
  readonly apis: readonly string[];
  readonly ending: StreamFate['ending'];
  /** Frames that were mutated and still decode, so the handlers see them. */
  readonly mutatedAnswered: number;
  /** How the stream ends when it does not end clean. */
  readonly terminator: MutationKind | undefined;
}

export class FuzzFrames {
  private readonly next: Random;
  private readonly handlers: ReadonlyMap<number, AnyApiHandler>;
  private readonly unservedKeys: number[];
  /** Aimed Produce templates: their records are real batches (the raw samples' are not). */
  private readonly batchTemplates: readonly FrameTemplate[];
  /** Mutation kind → frames sent with it: still decodable (answered), or ending the connection. */
  readonly tally = new Map<string, { answered: number; closed: number; unfinished: number }>();

  constructor(private readonly options: FuzzFramesOptions) {
    this.next = rng(options.seed);
    this.handlers = new Map(options.handlers.map((h) => [h.apiKey, h]));
    this.batchTemplates = options.templates.filter(
      (t) => t.variant === 'aimed' && t.lengths.some((f) => f.of === 'records'),
    );
    this.unservedKeys = [
      ...API_KEYS.map((k) => k.key).filter((k) => !this.handlers.has(k)),
      -1,
      -0x8000,
      0x7fff,
      74,
      1000,
    ];
  }

  private int(n: number): number {
    return randomInt(this.next, n);
  }

  private count(kind: string, what: 'answered' | 'closed' | 'unfinished'): void {
    const t = this.tally.get(kind) ?? { answered: 0, closed: 0, unfinished: 0 };
    t[what]++;
    this.tally.set(kind, t);
  }

  /** A copy of a random template with the given correlation id. */
  private pristine(
    correlationId: number,
    templates: readonly FrameTemplate[] = this.options.templates,
  ): { template: FrameTemplate; frame: Buffer } {
    const template = pick(this.next, templates);
    const frame = Buffer.from(template.frame);
    frame.writeInt32BE(correlationId, 8);
    return { template, frame };
  }

  /** One body mutation: the size prefix still matches the bytes (spliced frames are re-sized). */
  private mutateBody(kind: BodyMutation, t: FrameTemplate, frame: Buffer): Buffer {
    switch (kind) {
      case 'flip-bytes': {
        for (let i = 1 + this.int(4); i > 0; i--) frame[4 + this.int(frame.length - 4)] = this.int(256);
        return frame;
      }
      case 'flip-bits': {
        for (let i = 1 + this.int(3); i > 0; i--) {
          const at = 4 + this.int(frame.length - 4);
          frame[at] = (frame[at] as number) ^ (1 << this.int(8));
        }
        return frame;
      }
      case 'length-lie':
      case 'huge-length':
        return this.lieLength(kind === 'huge-length', t, frame);
      case 'truncate-body':
        return fixSize(Buffer.from(frame.subarray(0, 5 + this.int(frame.length - 5))));
      case 'unknown-api':
        frame.writeInt16BE(pick(this.next, this.unservedKeys), 4);
        return frame;
      case 'unknown-version': {
        const h = this.handlers.get(t.apiKey);
        const max = h?.maxVersion ?? t.version;
        const min = h?.minVersion ?? t.version;
        frame.writeInt16BE(
          pick(this.next, [max + 1, min - 1, -1, 0x7fff, -0x8000, this.int(0x10000) - 0x8000]),
          6,
        );
        return frame;
      }
    }
  }

  /** Mutates the record batch of a Produce frame and recomputes its CRC; the frame stays a frame. */
  private mutateBatch(kind: BatchMutation, t: FrameTemplate, frame: Buffer): Buffer {
    const fields = t.lengths.filter((f) => f.of === 'records');
    if (fields.length === 0) return frame;
    const f = pick(this.next, fields);
    let start: number;
    let length: number;
    if (f.encoding === 'uvarint') {
      const size = uvarintSize(frame, f.at);
      length = readUvarintAt(frame, f.at, size) - 1; // compact: length + 1
      start = f.at + size;
    } else {
      length = frame.readInt32BE(f.at);
      start = f.at + 4;
    }
    if (length < BATCH.HEADER_SIZE) return frame;
    const batch = frame.subarray(start, start + length);
    if (kind === 'batch-flip') {
      for (let i = 1 + this.int(3); i > 0; i--) {
        batch[BATCH.ATTRIBUTES + this.int(length - BATCH.ATTRIBUTES)] = this.int(256);
      }
    } else if ((batch.readInt16BE(BATCH.ATTRIBUTES) & 7) === ZSTD && this.int(2) === 0) {
      // The zstd frame's declared content size: huge, within the broker's budget, or off by a little.
      const truth = batch.readUInt32LE(ZSTD_BATCH_CONTENT_SIZE_AT);
      const lie = pick(this.next, [0xffffffff, 200 * 1024 * 1024, truth + 1000, Math.max(0, truth - 1)]);
      batch.writeUInt32LE(lie, ZSTD_BATCH_CONTENT_SIZE_AT);
    } else {
      const at = pick(this.next, [BATCH.LENGTH, BATCH.LAST_OFFSET_DELTA, BATCH.RECORD_COUNT, BATCH.RECORDS]);
      const truth = batch.readInt32BE(at);
      batch.writeInt32BE(
        this.int(2) === 0 ? pick(this.next, INT32_LIES) : truth + pick(this.next, [1, -1, 2, 1000]),
        at,
      );
    }
    batch.writeUInt32BE(computeBatchCrc(batch), BATCH.CRC);
    return frame;
  }

  /** Makes one length prefix lie: a little more or less than the truth, or huge (up to 2^31-1, 2^32-1). */
  private lieLength(huge: boolean, t: FrameTemplate, frame: Buffer): Buffer {
    if (t.lengths.length === 0) return frame;
    const f: LengthField = pick(this.next, t.lengths);
    const small = (v: number) => v + pick(this.next, [1, 2, 7, 100, -1, -2]);
    switch (f.encoding) {
      case 'int16':
        frame.writeInt16BE(
          huge
            ? pick(this.next, INT16_LIES)
            : Math.max(-0x8000, Math.min(0x7fff, small(frame.readInt16BE(f.at)))),
          f.at,
        );
        return frame;
      case 'int32':
        frame.writeInt32BE(
          huge ? pick(this.next, INT32_LIES) : Math.max(-0x80000000, small(frame.readInt32BE(f.at))),
          f.at,
        );
        return frame;
      case 'uvarint': {
        const size = uvarintSize(frame, f.at);
        const old = readUvarintAt(frame, f.at, size);
        const lie = huge
          ? this.int(4) === 0
            ? Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) // longer than 5 bytes
            : encodeUvarint(pick(this.next, UVARINT_LIES))
          : encodeUvarint(Math.max(0, small(old)));
        return fixSize(Buffer.concat([frame.subarray(0, f.at), lie, frame.subarray(f.at + size)]));
      }
    }
  }

  /** Bytes that end a stream badly: a lying or impossible size prefix, or garbage. */
  private framingMutation(kind: FramingMutation, correlationId: number): Buffer {
    const { frame } = this.pristine(correlationId);
    const max = this.options.maxRequestBytes;
    switch (kind) {
      case 'size-smaller':
        frame.writeInt32BE(1 + this.int(frame.length - 5), 0);
        return frame;
      case 'size-huge':
        frame.writeInt32BE(
          pick(this.next, [0x7fffffff, max + 1, max + 1 + this.int(0x7fffffff - max - 1)]),
          0,
        );
        return frame;
      case 'size-non-positive':
        frame.writeInt32BE(pick(this.next, [0, -1, -0x80000000, -this.int(0x7fffffff)]), 0);
        return frame;
      case 'garbage':
        return Buffer.from(Array.from({ length: 1 + this.int(1500) }, () => this.int(256)));
      case 'garbage-sized': {
        const size = 1 + this.int(400);
        const b = Buffer.from(Array.from({ length: 4 + size }, () => this.int(256)));
        b.writeInt32BE(size, 0);
        return b;
      }
    }
  }

  /** An unfinished frame at the end of the stream: cut short, or announcing more than is sent. */
  private tail(kind: TailMutation, correlationId: number): Buffer {
    const { frame } = this.pristine(correlationId);
    if (kind === 'cut-stream') return frame.subarray(0, 1 + this.int(frame.length - 1));
    const max = this.options.maxRequestBytes;
    const lie = pick(this.next, [frame.length - 4 + 1 + this.int(2000), max, 4 + this.int(max - 4)]);
    frame.writeInt32BE(lie, 0);
    return frame;
  }

  /** A frame with this correlation id, pristine (`kind` undefined) or mutated. */
  private frame(kind: MutationKind | undefined, correlationId: number): Buffer {
    if (kind !== undefined && isIn(FRAMING_MUTATIONS, kind)) return this.framingMutation(kind, correlationId);
    if (kind !== undefined && isIn(TAIL_MUTATIONS, kind)) return this.tail(kind, correlationId);
    const batch = kind !== undefined && isIn(BATCH_MUTATIONS, kind);
    const { template, frame } = this.pristine(
      correlationId,
      batch ? this.batchTemplates : this.options.templates,
    );
    if (kind === undefined) return frame;
    if (isIn(BATCH_MUTATIONS, kind)) return this.mutateBatch(kind, template, frame);
    if (isIn(BODY_MUTATIONS, kind)) return this.mutateBody(kind, template, frame);
    return frame;
  }

  /**
   * One connection's bytes: `target` frames the broker answers (or handles silently): pristine
   * or body-mutated frames that still decode; then, most of the time, a malformed frame or bad
   * bytes (the broker must close), sometimes an unfinished frame, sometimes nothing.
   */
  connection(target: number): ConnectionPlan {
    const parts: Buffer[] = [];
    let mutatedAnswered = 0;
    let correlationId = 1;
    while (parts.length < target) {
      const kind = this.next() < 0.85 ? pick(this.next, SURVIVABLE_MUTATIONS) : undefined;
      const bytes = this.frame(kind, correlationId);
      const fate = streamFate(bytes, this.options.maxRequestBytes, this.handlers);
      const accepted = fate.ending === 'clean' && fate.frames.length === 1;
      if (!accepted) continue; // malformed frames only end a connection
      if (kind !== undefined) {
        this.count(kind, 'answered');
        mutatedAnswered++;
      }
      parts.push(bytes);
      correlationId++;
    }
    const roll = this.next();
    let terminator: MutationKind | undefined;
    if (roll < 0.6) {
      // A malformed frame; a body mutation that happens to decode is retried a few times.
      for (let attempt = 0; attempt < 20 && terminator === undefined; attempt++) {
        const kind = this.int(3) === 0 ? pick(this.next, FRAMING_MUTATIONS) : pick(this.next, BODY_MUTATIONS);
        const bytes = this.frame(kind, correlationId);
        if (streamFate(bytes, this.options.maxRequestBytes, this.handlers).ending === 'clean') continue;
        parts.push(bytes);
        terminator = kind;
      }
    } else if (roll < 0.8) {
      terminator = pick(this.next, TAIL_MUTATIONS);
      parts.push(this.frame(terminator, correlationId));
    }
    const bytes = Buffer.concat(parts);
    const fate = streamFate(bytes, this.options.maxRequestBytes, this.handlers);
    if (terminator !== undefined) this.count(terminator, fate.ending === 'closes' ? 'closed' : 'unfinished');
    const expected = fate.frames.flatMap((f) => (f.kind === 'answered' ? [f.correlationId] : []));
    const apis = fate.frames.flatMap((f) => (f.kind === 'closes' ? [] : [f.api]));
    return {
      bytes,
      frames: fate.frames.length,
      expected,
      apis,
      ending: fate.ending,
      mutatedAnswered,
      terminator,
    };
  }
}
