import { RETRY_REASONS, type RetryReason, SOURCE_ERROR_CODES, type SourceErrorCode, type SourceStats } from '../market-data-source.js';

/** Running counters of a client's requests; `snapshot()` is what tasks put in their results. */
export class RequestStats {
  private requests = 0;
  private readonly retries = Object.fromEntries(RETRY_REASONS.map((r) => [r, 0])) as Record<RetryReason, number>;
  private readonly failures = Object.fromEntries(SOURCE_ERROR_CODES.map((c) => [c, 0])) as Record<SourceErrorCode, number>;

  request(): void {
    this.requests += 1;
  }

  retry(reason: RetryReason): void {
    this.retries[reason] += 1;
  }

  failure(code: SourceErrorCode): void {
    this.failures[code] += 1;
  }

  snapshot(): SourceStats {
    return { requests: this.requests, retries: { ...this.retries }, failures: { ...this.failures } };
  }
}
