import { describe, expect, it } from 'vitest';
import { shouldRetry } from './queryClient';
import { ApiError } from '../bridge';

describe('query retry policy', () => {
  it('retries network errors up to three times', () => {
    const e = new ApiError('network', 'down');
    expect(shouldRetry(0, e)).toBe(true);
    expect(shouldRetry(2, e)).toBe(true);
    expect(shouldRetry(3, e)).toBe(false);
  });
  it('does not retry 4xx answers', () => {
    for (const [code, status] of [['bad_input', 400], ['forbidden', 403], ['not_found', 404], ['conflict', 409]] as const) {
      expect(shouldRetry(0, new ApiError(code, 'x', [], status))).toBe(false);
    }
  });
  it('does not retry unknown errors', () => {
    expect(shouldRetry(0, new Error('render bug'))).toBe(false);
  });
});
