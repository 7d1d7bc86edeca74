/**
 * The one error type of the Kafka codec. Decoding never lets a RangeError or a TypeError escape:
 * every malformed input becomes a `ProtocolError` naming the field being read, so the connection
 * layer can log one precise line and close that connection only.
 */
export type ProtocolErrorKind =
  /** The input ended before a value could be read. */
  | 'truncated'
  /** A length or count is negative (and not -1 where null is allowed) or exceeds the bytes left. */
  | 'invalid-length'
  /** A null arrived for a field that is not nullable in this version. */
  | 'null-not-allowed'
  /** A value is out of its domain (overlong varint, bad UUID text, tagged field size mismatch). */
  | 'invalid-value'
  /** The message version is outside the generated range. */
  | 'unsupported-version'
  /** Encoding: a non-ignorable field holds a non-default value that this version cannot carry. */
  | 'unsupported-field';

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly kind: ProtocolErrorKind,
    /** Dotted path of the field, e.g. `ProduceRequest.TopicData.Name`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export function isProtocolError(err: unknown): err is ProtocolError {
  return err instanceof ProtocolError;
}

/** Throws unless `min <= version <= max` (the range the codec was generated for). */
export function checkVersion(message: string, version: number, min: number, max: number): void {
  if (!Number.isInteger(version) || version < min || version > max) {
    throw new ProtocolError('unsupported-version', message, `version ${version} is outside ${min}-${max}`);
  }
}

/** A non-ignorable field was set to a non-default value that `version` cannot carry (as Kafka does). */
export function unsupportedField(field: string, version: number): ProtocolError {
  return new ProtocolError(
    'unsupported-field',
    field,
    `non-default value cannot be sent at version ${version} and the field is not ignorable`,
  );
}
