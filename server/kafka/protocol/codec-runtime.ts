/**
 * Small helpers the generated codecs call for arrays, nullable values and UUIDs. Hand-written so
 * that the generated files stay short; every read goes through the bounds-checked `Reader`.
 */
import { ProtocolError } from './protocol-error';
import type { Reader } from './reader';
import type { Writer } from './writer';

/** A `records` field as given to an encoder: one buffer or several, written without copying. */
export type RecordsInput = Buffer | readonly Buffer[];

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

export function isZeroUuid(v: string): boolean {
  return v === ZERO_UUID || /^[0-]+$/.test(v);
}

export function nullNotAllowed(field: string): ProtocolError {
  return new ProtocolError('null-not-allowed', field, 'null for a non-nullable field');
}

/** Returns `v`, or throws when it is null where this version does not allow null. */
export function nonNull<T>(v: T | null, field: string): T {
  if (v === null) throw nullNotAllowed(field);
  return v;
}

/** A non-nullable array; `minElementSize` bounds the count by the bytes left (see Reader). */
export function readArray<T>(
  r: Reader,
  field: string,
  compact: boolean,
  minElementSize: number,
  readElement: (r: Reader) => T,
): T[] {
  const n = r.readArrayLength(field, compact, minElementSize);
  if (n < 0) throw nullNotAllowed(field);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(readElement(r));
  return out;
}

export function readNullableArray<T>(
  r: Reader,
  field: string,
  compact: boolean,
  minElementSize: number,
  nullAllowed: boolean,
  readElement: (r: Reader) => T,
): T[] | null {
  const n = r.readArrayLength(field, compact, minElementSize);
  if (n < 0) {
    if (!nullAllowed) throw nullNotAllowed(field);
    return null;
  }
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(readElement(r));
  return out;
}

export function writeArray<T>(
  w: Writer,
  items: readonly T[],
  compact: boolean,
  writeElement: (w: Writer, item: T) => void,
): void {
  w.writeArrayLength(items.length, compact);
  for (const item of items) writeElement(w, item);
}

export function writeNullableArray<T>(
  w: Writer,
  items: readonly T[] | null,
  compact: boolean,
  writeElement: (w: Writer, item: T) => void,
): void {
  if (items === null) w.writeNullArray(compact);
  else writeArray(w, items, compact, writeElement);
}

/**
 * Nullable struct fields carry an int8 marker in the versions where they are nullable: -1 for null,
 * 1 for present (as Kafka does). Other versions write the struct alone.
 */
export function readNullableStruct<T>(r: Reader, field: string, readStruct: (r: Reader) => T): T | null {
  return r.readInt8(field) < 0 ? null : readStruct(r);
}

export function writeNullableStruct<T>(w: Writer, v: T | null, writeStruct: (w: Writer, v: T) => void): void {
  if (v === null) w.writeInt8(-1);
  else {
    w.writeInt8(1);
    writeStruct(w, v);
  }
}
