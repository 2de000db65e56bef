/** Retry decisions shared by the producer and consumer shells (pure except `sleep`). */
import { type ErrorCode, isErrorCode, isStaleMetadata, TributaryError } from '@tributary/core';
import { asTributaryError } from '@tributary/protocol';

/** The client's metadata is probably stale: refresh before the next attempt (the error table's column). */
export function needsMetadataRefresh(error: TributaryError): boolean {
  return isStaleMetadata(error.code);
}

/** A per-partition outcome string from a broker response as an error (undefined for success). */
export function partitionError(
  errorCode: string,
  errorMessage: string,
  where: string,
): TributaryError | undefined {
  if (errorCode === '') return undefined;
  const code: ErrorCode = isErrorCode(errorCode) ? errorCode : 'UNKNOWN';
  const detail = errorMessage === '' ? errorCode : `${errorCode}: ${errorMessage}`;
  return new TributaryError(code, `${where}: ${detail}`);
}

export function toError(error: unknown): TributaryError {
  return asTributaryError(error);
}

export function sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
