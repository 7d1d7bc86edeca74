import type { TopicPartitions } from './partition-assignor';

/**
 * The userData the sticky assignors put in a member's subscription, in Kafka's encodings:
 * - CooperativeStickyAssignor: { generation int32 } (4 bytes)
 * - StickyAssignor (eager) v1: { previous_assignment [](topic string, partitions []int32), generation int32 }
 *   (v0 had no generation). Strings are int16-prefixed, arrays int32-counted, big-endian.
 */
export function encodeCooperativeUserData(generationId: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(generationId);
  return b;
}

export function decodeCooperativeUserData(data: Buffer | null | undefined): number | undefined {
  return data && data.length >= 4 ? data.readInt32BE(0) : undefined;
}

export function encodeStickyUserData(owned: readonly TopicPartitions[], generationId: number): Buffer {
  const chunks: Buffer[] = [int32(owned.length)];
  for (const tp of owned) {
    const name = Buffer.from(tp.topic, 'utf8');
    const len = Buffer.alloc(2);
    len.writeInt16BE(name.length);
    chunks.push(len, name, int32(tp.partitions.length), ...tp.partitions.map(int32));
  }
  chunks.push(int32(generationId));
  return Buffer.concat(chunks);
}

/** undefined when the bytes are not a sticky userData (then the member is treated as new). */
export function decodeStickyUserData(
  data: Buffer | null | undefined,
): { owned: TopicPartitions[]; generationId: number } | undefined {
  if (!data) return undefined;
  let pos = 0;
  const need = (n: number) => {
    if (n < 0 || pos + n > data.length) throw new RangeError('truncated');
  };
  const readInt32 = () => {
    need(4);
    const v = data.readInt32BE(pos);
    pos += 4;
    return v;
  };
  try {
    const count = readInt32();
    need(count * 6);
    const owned: TopicPartitions[] = [];
    for (let i = 0; i < count; i++) {
      need(2);
      const len = data.readInt16BE(pos);
      pos += 2;
      need(len);
      const topic = data.toString('utf8', pos, pos + len);
      pos += len;
      const n = readInt32();
      need(n * 4);
      const partitions: number[] = [];
      for (let j = 0; j < n; j++) partitions.push(readInt32());
      owned.push({ topic, partitions });
    }
    const generationId = pos + 4 <= data.length ? readInt32() : -1;
    return { owned, generationId };
  } catch {
    return undefined;
  }
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}
