import { describe, expect, it } from 'vitest';
import { FlowMeter, Meter } from './meter';

describe('Meter', () => {
  it('turns the delta since the previous sample into a rate per second', () => {
    const meter = new Meter();
    meter.mark();
    meter.mark(9);
    expect(meter.takeRate(1000)).toBe(10);
    meter.mark(30);
    expect(meter.takeRate(2000)).toBe(15);
    expect(meter.takeRate(1000)).toBe(0);
    expect(meter.count).toBe(40); // cumulative, for a Prometheus counter
  });

  it('counts records and bytes in and out per partition', () => {
    const flow = new FlowMeter();
    flow.onAppend(3, 300);
    flow.onAppend(2, 200);
    flow.onFetch(5, 500);
    expect([flow.recordsIn.count, flow.bytesIn.count, flow.recordsOut.count, flow.bytesOut.count]).toEqual([
      5, 500, 5, 500,
    ]);
    expect(flow.meter('bytes_in')).toBe(flow.bytesIn);
  });
});
