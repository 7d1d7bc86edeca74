/**
 * Kafka frames: an int32 size, then a header, then the body. The connection layer splits the
 * byte stream into frames (and enforces the size limit); these helpers read a request frame's
 * header and build response frames as buffer lists ready for `socket.writev` / `cork`+`write`.
 */
import {
  decodeRequestHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  type RequestHeader,
  type RequestHeaderInput,
} from './generated/index';
import { Reader } from './reader';
import { Writer } from './writer';

export interface DecodedRequestFrame {
  readonly header: RequestHeader;
  readonly headerVersion: 1 | 2;
  /** Positioned at the first byte of the body; decode it with `decodeXxxRequest(body, version)`. */
  readonly body: Reader;
}

/**
 * Reads the header of one request frame (`payload` = the bytes after the size prefix). The header
 * version follows from the API key and version found in its first four bytes.
 */
export function decodeRequestFrame(payload: Buffer): DecodedRequestFrame {
  const body = new Reader(payload);
  const peek = new Reader(payload);
  const apiKey = peek.readInt16('RequestHeader.RequestApiKey');
  const apiVersion = peek.readInt16('RequestHeader.RequestApiVersion');
  const headerVersion = requestHeaderVersion(apiKey, apiVersion);
  const header = decodeRequestHeader(body, headerVersion);
  return { header, headerVersion, body };
}

/**
 * Builds a response frame: size, response header (v0 or v1 as the API and version require;
 * always v0 for ApiVersions), then whatever `writeBody` writes. Buffers given to the writer by
 * reference (records) are not copied.
 */
export function encodeResponseFrame(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  writeBody: (w: Writer) => void,
): Buffer[] {
  const w = new Writer(512);
  const size = w.reserveInt32();
  encodeResponseHeader(w, { correlationId }, responseHeaderVersion(apiKey, apiVersion));
  writeBody(w);
  w.patchInt32(size, w.length - 4);
  return w.toBuffers();
}

/** Builds a request frame (for tests and in-process clients): size, request header v1/v2, body. */
export function encodeRequestFrame(header: RequestHeaderInput, writeBody: (w: Writer) => void): Buffer[] {
  const w = new Writer(512);
  const size = w.reserveInt32();
  encodeRequestHeader(w, header, requestHeaderVersion(header.requestApiKey, header.requestApiVersion));
  writeBody(w);
  w.patchInt32(size, w.length - 4);
  return w.toBuffers();
}
