/**
 * Test support for the listener fuzz: the fate the listener must give a byte stream, frame by
 * frame (answered, handled silently, or closing the connection), predicted with the same frame
 * decoder, header decoder, handler lookup and handler decoders as the listener.
 *
 * Sharing the listener's decoders is on purpose: they are tested against the protocol elsewhere
 * (protocol/bad-input.test.ts); the fuzz uses the prediction to check what the connection layer
 * and the handlers do with each frame: which connections must close, which answers must arrive.
 */
import { FrameDecoder } from '../frame-decoder';
import type { AnyApiHandler } from '../handler';
import { decodeRequestFrame } from '../protocol/frame';
import { ApiKey } from '../protocol/generated/index';

export type FrameFate =
  | { readonly kind: 'answered'; readonly correlationId: number; readonly api: string }
  /** Produce with acks=0: handled, never answered. */
  | { readonly kind: 'silent'; readonly api: string }
  | { readonly kind: 'closes'; readonly reason: string };

/** What the listener must do with one frame's payload (the bytes after its size prefix). */
export function payloadFate(payload: Buffer, handlers: ReadonlyMap<number, AnyApiHandler>): FrameFate {
  let frame: ReturnType<typeof decodeRequestFrame>;
  try {
    frame = decodeRequestFrame(payload);
  } catch (error) {
    return { kind: 'closes', reason: `header: ${String(error)}` };
  }
  const { requestApiKey: key, requestApiVersion: version, correlationId } = frame.header;
  const handler = handlers.get(key);
  if (handler === undefined) return { kind: 'closes', reason: `api key ${key} not served` };
  if (version < handler.minVersion || version > handler.maxVersion) {
    // KIP-511: an ApiVersions of any version is answered with the supported list.
    if (key === ApiKey.ApiVersions)
      return { kind: 'answered', correlationId, api: `ApiVersions v${version}` };
    return { kind: 'closes', reason: `${handler.name} v${version} not served` };
  }
  let request: unknown;
  try {
    request = handler.decodeRequest(frame.body, version);
  } catch (error) {
    return { kind: 'closes', reason: `${handler.name} v${version}: ${String(error)}` };
  }
  const api = `${handler.name} v${version}`;
  if (key === ApiKey.Produce && (request as { acks: number }).acks === 0) return { kind: 'silent', api };
  return { kind: 'answered', correlationId, api };
}

export interface StreamFate {
  /** One per frame the broker reads, up to and including the one that closes the connection. */
  readonly frames: readonly FrameFate[];
  /** 'closes': the broker must close the connection (with a log line); 'incomplete': bytes of an unfinished frame are left. */
  readonly ending: 'clean' | 'closes' | 'incomplete';
}

/** The fates of a byte stream, split into frames as the listener splits it. */
export function streamFate(
  bytes: Buffer,
  maxRequestBytes: number,
  handlers: ReadonlyMap<number, AnyApiHandler>,
): StreamFate {
  const decoder = new FrameDecoder(maxRequestBytes);
  decoder.push(bytes);
  const frames: FrameFate[] = [];
  for (;;) {
    let payload: Buffer | undefined;
    try {
      payload = decoder.next();
    } catch (error) {
      frames.push({ kind: 'closes', reason: String(error) });
      return { frames, ending: 'closes' };
    }
    if (payload === undefined) break;
    const fate = payloadFate(payload, handlers);
    frames.push(fate);
    if (fate.kind === 'closes') return { frames, ending: 'closes' };
  }
  return { frames, ending: decoder.bufferedBytes > 0 ? 'incomplete' : 'clean' };
}
