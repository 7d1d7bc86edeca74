/**
 * Counters for hot paths. Marking is one number addition on a field: no allocation, no clock
 * read, no lookup. Once a second the sampler (MetricsRegistry.sample) takes each meter's delta
 * since the previous tick and divides it by the elapsed time to get a rate per second.
 *
 * `count` is cumulative and never reset, so the /metrics exporter can read it as a Prometheus
 * counter without interfering with the sampler.
 */
export class Meter {
  count = 0;
  private sampledCount = 0;

  mark(n = 1): void {
    this.count += n;
  }

  /** What was marked since the previous call. */
  takeDelta(): number {
    const delta = this.count - this.sampledCount;
    this.sampledCount = this.count;
    return delta;
  }

  /** Per second over `elapsedMs`. */
  takeRate(elapsedMs: number): number {
    return elapsedMs > 0 ? (this.takeDelta() * 1000) / elapsedMs : 0;
  }
}

/** Throughput of one partition: records and bytes appended (in) and fetched (out). */
export class FlowMeter {
  readonly recordsIn = new Meter();
  readonly bytesIn = new Meter();
  readonly recordsOut = new Meter();
  readonly bytesOut = new Meter();

  meter(metric: 'records_in' | 'bytes_in' | 'records_out' | 'bytes_out'): Meter {
    switch (metric) {
      case 'records_in':
        return this.recordsIn;
      case 'bytes_in':
        return this.bytesIn;
      case 'records_out':
        return this.recordsOut;
      case 'bytes_out':
        return this.bytesOut;
    }
  }

  /** A batch of `records` records, `bytes` bytes, was appended. */
  onAppend(records: number, bytes: number): void {
    this.recordsIn.count += records;
    this.bytesIn.count += bytes;
  }

  /** A fetch served `records` records, `bytes` bytes (a consumer or the console). */
  onFetch(records: number, bytes: number): void {
    this.recordsOut.count += records;
    this.bytesOut.count += bytes;
  }
}

/** A value set by its owner and sampled each tick (partition size, connected clients...). */
export interface Gauge {
  set(value: number): void;
  readonly value: number;
}
