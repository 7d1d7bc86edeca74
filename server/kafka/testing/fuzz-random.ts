/** Test support for the listener fuzz. mulberry32: a seeded generator, so that a run can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export function randomInt(next: Random, n: number): number {
  return Math.floor(next() * n);
}

export function pick<T>(next: Random, items: readonly T[]): T {
  const item = items[randomInt(next, items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
