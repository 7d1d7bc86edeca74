import type { Reader, TaggedField } from './reader';
import { Writer } from './writer';

/** A known tagged field to encode: its tag and a function writing its value. */
export interface KnownTaggedField {
  readonly tag: number;
  readonly write: (w: Writer) => void;
}

/**
 * Reads a tagged-field section in which no tag is known to this struct and version: every field is
 * kept as raw bytes (a view) so that re-encoding preserves it. Returns undefined when there are none.
 */
export function readUnknownTaggedFields(r: Reader, field: string): TaggedField[] | undefined {
  const n = r.readUnsignedVarint(field);
  let out: TaggedField[] | undefined;
  for (let i = 0; i < n; i++) {
    const tag = r.readUnsignedVarint(field);
    const size = r.readUnsignedVarint(field);
    (out ??= []).push({ tag, data: r.readRaw(field, size) });
  }
  return out;
}

/** Keeps an unknown tagged field whose value is the whole of `tr`. */
export function keepUnknownTaggedField(
  list: TaggedField[] | undefined,
  tag: number,
  tr: Reader,
  field: string,
): TaggedField[] {
  const out = list ?? [];
  out.push({ tag, data: tr.readRaw(field, tr.remaining) });
  return out;
}

function byTag(a: TaggedField, b: TaggedField): number {
  return a.tag - b.tag;
}

/**
 * Writes a tagged-field section: the count, then every field in ascending tag order (KIP-482),
 * merging the known fields (given in ascending order) with the preserved unknown ones.
 */
export function writeTaggedFields(
  w: Writer,
  known: readonly KnownTaggedField[],
  unknown: readonly TaggedField[] | undefined,
): void {
  const unk = unknown === undefined || unknown.length === 0 ? [] : [...unknown].sort(byTag);
  w.writeUnsignedVarint(known.length + unk.length);
  if (known.length + unk.length === 0) return;
  let u = 0;
  for (const k of known) {
    for (; u < unk.length && (unk[u] as TaggedField).tag < k.tag; u++) writeUnknown(w, unk[u] as TaggedField);
    const tw = new Writer(64);
    k.write(tw);
    w.writeUnsignedVarint(k.tag).writeUnsignedVarint(tw.length).writeWriter(tw);
  }
  for (; u < unk.length; u++) writeUnknown(w, unk[u] as TaggedField);
}

function writeUnknown(w: Writer, f: TaggedField): void {
  w.writeUnsignedVarint(f.tag).writeUnsignedVarint(f.data.length).writeRaw(f.data);
}

/** Writes a tagged-field section holding only preserved unknown fields (the common case: none). */
export function writeUnknownTaggedFields(w: Writer, unknown: readonly TaggedField[] | undefined): void {
  if (unknown === undefined || unknown.length === 0) w.writeUInt8(0);
  else writeTaggedFields(w, [], unknown);
}
