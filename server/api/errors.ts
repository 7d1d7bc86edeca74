import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { ClusterError, type ClusterErrorCode } from '../cluster/cluster';

/** One HTTP/tRPC code per cluster failure, chosen for what a client should do about it. */
const TRPC_CODE: Record<ClusterErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'CONFLICT',
  INVALID_ARGUMENT: 'BAD_REQUEST',
  OUT_OF_RANGE: 'BAD_REQUEST',
  FAILED_PRECONDITION: 'PRECONDITION_FAILED',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  OVERLOADED: 'TOO_MANY_REQUESTS',
  FORBIDDEN: 'FORBIDDEN',
  UNSUPPORTED: 'NOT_IMPLEMENTED',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export const INTERNAL_MESSAGE = 'Internal error: see the server log';

export function toTRPCError(error: ClusterError): TRPCError {
  const message = error.code === 'INTERNAL' ? INTERNAL_MESSAGE : error.message;
  return new TRPCError({ code: TRPC_CODE[error.code], message, cause: error });
}

/** What the browser gets beyond tRPC's code: the field to put the message next to. */
export interface ApiErrorDetail {
  message: string;
  /** Dotted input path ("seek.to", "configs.retention.ms"), or null. */
  field: string | null;
  /** Every invalid field with its message, for forms. */
  fieldErrors: Record<string, string> | null;
  clusterCode: ClusterErrorCode | null;
  retriable: boolean;
}

/**
 * Turns any error into a message fit for an operator: validation issues name their field, cluster
 * errors keep their own sentence, anything unexpected becomes a fixed sentence (the server log has
 * the details) so that no stack trace or file path ever reaches the browser.
 */
export function describeError(error: TRPCError): ApiErrorDetail {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of cause.issues) {
      const path = issue.path.map(String).join('.');
      fieldErrors[path] ??= issue.message;
    }
    const first = cause.issues[0];
    const field = first ? first.path.map(String).join('.') : null;
    const message = first ? (field ? `${field}: ${first.message}` : first.message) : 'Invalid input';
    return { message, field: field || null, fieldErrors, clusterCode: null, retriable: false };
  }
  if (cause instanceof ClusterError) {
    const field = cause.field ?? null;
    return {
      message: cause.code === 'INTERNAL' ? INTERNAL_MESSAGE : cause.message,
      field,
      fieldErrors: field ? { [field]: cause.message } : null,
      clusterCode: cause.code,
      retriable: cause.retriable,
    };
  }
  const internal = error.code === 'INTERNAL_SERVER_ERROR';
  return {
    message: internal ? INTERNAL_MESSAGE : error.message,
    field: null,
    fieldErrors: null,
    clusterCode: null,
    retriable: false,
  };
}
