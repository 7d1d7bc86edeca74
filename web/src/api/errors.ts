import { TRPCClientError } from '@trpc/client';

/** The error data the server adds (server/api/errors.ts): the field at fault and its message. */
interface ApiErrorData {
  code?: string;
  httpStatus?: number;
  field?: string | null;
  fieldErrors?: Record<string, string> | null;
  clusterCode?: string | null;
  retriable?: boolean;
}

function dataOf(error: unknown): ApiErrorData | undefined {
  return error instanceof TRPCClientError ? (error.data as ApiErrorData | undefined) : undefined;
}

/** One sentence for a notification or an alert. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    // A response that was not the API's (an HTML page, a proxy error) has no code.
    if (!dataOf(error)?.code) return 'The console API did not answer: is the broker running?';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

function fieldMatches(path: string, field: string): boolean {
  if (field.endsWith('.*')) return path.startsWith(field.slice(0, -1));
  return path === field || path.split('.').at(-1) === field;
}

/**
 * The message for one input. A field matches the error's whole path, its last segment (so "offset"
 * gets "seek.offset" errors too), or a prefix written "configs.*".
 */
export function fieldError(error: unknown, ...fields: string[]): string | undefined {
  const data = dataOf(error);
  if (!data) return undefined;
  for (const [path, message] of Object.entries(data.fieldErrors ?? {})) {
    if (fields.some((field) => fieldMatches(path, field))) return message;
  }
  return undefined;
}

/** True when the error was reported against one of the given fields (to avoid showing it twice). */
export function isFieldError(error: unknown, ...fields: string[]): boolean {
  return fieldError(error, ...fields) !== undefined;
}

export function isUnauthorized(error: unknown): boolean {
  return dataOf(error)?.code === 'UNAUTHORIZED';
}

/** The API answered, but not as the console API: nothing mounted at /trpc (no broker yet). */
export function isApiMissing(error: unknown): boolean {
  return error instanceof TRPCClientError && !dataOf(error)?.code;
}
