import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate, formatRetentionMs } from './format';
import { formatTimestamp } from './time-format';
import { topicNameError } from './topic-name';

describe('formatting', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MiB');
  });

  it('formats rates, durations and retention', () => {
    expect(formatRate(0.25, 'records')).toBe('0.3 rec/s');
    expect(formatRate(1234, 'records')).toBe('1234 rec/s');
    expect(formatRate(2048, 'bytes')).toBe('2.0 KiB/s');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(90_000)).toBe('1 min 30 s');
    expect(formatRetentionMs(604_800_000)).toBe('7 d 0 h');
    expect(formatRetentionMs(-1)).toBe('forever');
  });

  it('formats timestamps in UTC with milliseconds', () => {
    expect(formatTimestamp(Date.UTC(2026, 10, 21, 9, 5, 7, 42), 'utc')).toBe('2026-11-21 09:05:07.042');
    expect(formatTimestamp(Date.UTC(2026, 10, 21, 9, 5, 7, 42), 'utc', false)).toBe('2026-11-21 09:05:07');
  });

  it('checks topic names as Kafka does', () => {
    expect(topicNameError('orders.v2_x-y')).toBeNull();
    expect(topicNameError('')).toContain('must not be empty');
    expect(topicNameError('..')).toContain("cannot be '.' or '..'");
    expect(topicNameError('a/b')).toContain('may contain only');
    expect(topicNameError('x'.repeat(250))).toContain('at most 249');
  });
});
