import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  it('uses the documented defaults', () => {
    const c = parseConfig([], {});
    expect(c).toMatchObject({
      dataDir: './sluice-data',
      host: '127.0.0.1',
      httpPort: 8080,
      kafkaPort: 9092,
      advertisedHost: '127.0.0.1',
      autoCreateTopics: false,
      faultInjection: false,
    });
  });

  it('takes SLUICE_* environment fallbacks and lets flags win', () => {
    const c = parseConfig(['--http-port', '9000'], {
      SLUICE_HTTP_PORT: '7000',
      SLUICE_KAFKA_PORT: '0',
      SLUICE_DATA_DIR: '/x',
    });
    expect(c.httpPort).toBe(9000);
    expect(c.kafkaPort).toBe(0);
    expect(c.dataDir).toBe('/x');
  });

  it('names the flag when a port is not a port', () => {
    expect(() => parseConfig(['--http-port', 'abc'], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--kafka-port', '70000'], {})).toThrow(/--kafka-port must be a port number/);
  });

  it('refuses a non-loopback bind without a token', () => {
    expect(() => parseConfig(['--host', '0.0.0.0'], {})).toThrow(
      /refusing to bind 0.0.0.0 without an auth token/,
    );
    const c = parseConfig(['--host', '0.0.0.0', '--auth-token', 'a-long-secret'], {});
    expect(c.authToken).toBe('a-long-secret');
  });

  it('rejects unknown flags and bad log levels with a clear message', () => {
    expect(() => parseConfig(['--no-such-flag'], {})).toThrow(/unknown option '--no-such-flag'/);
    expect(() => parseConfig(['--log-level', 'loud'], {})).toThrow(/--log-level must be one of/);
  });

  it('parses boolean switches', () => {
    expect(parseConfig(['--auto-create-topics'], {}).autoCreateTopics).toBe(true);
    expect(parseConfig(['--fault-injection', 'false'], {}).faultInjection).toBe(false);
    expect(parseConfig([], { SLUICE_FAULT_INJECTION: 'true' }).faultInjection).toBe(true);
  });
});
