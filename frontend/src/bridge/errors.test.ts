import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage } from './errors';

describe('ApiError.from', () => {
  it('reads the error object itself', () => {
    const e = ApiError.from({ code: 'not_found', message: 'no such job' });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('no such job');
    expect(e.fields).toEqual([]);
  });

  it('reads the HTTP envelope with fields and keeps the status', () => {
    const e = ApiError.from(
      { error: { code: 'bad_input', message: 'invalid profile', fields: [{ field: 'machine_id', message: 'must match ^[a-z0-9_]{3,100}$' }] } },
      400,
    );
    expect(e.code).toBe('bad_input');
    expect(e.status).toBe(400);
    expect(e.fieldMessage('machine_id')).toMatch(/must match/);
    expect(e.retryable).toBe(false);
  });

  it('parses the JSON string Wails rejects with', () => {
    const e = ApiError.from('{"code":"forbidden","message":"viewer cannot cancel jobs"}');
    expect(e.code).toBe('forbidden');
    expect(e.title).toMatch(/permission/);
  });

  it('parses an Error whose message is the JSON string', () => {
    const e = ApiError.from(new Error('{"code":"conflict","message":"job already finished"}'));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('job already finished');
  });

  it('falls back to internal for plain text', () => {
    const e = ApiError.from('boom');
    expect(e.code).toBe('internal');
    expect(e.message).toBe('boom');
  });

  it('maps an HTTP status when the body has no code', () => {
    expect(ApiError.from({ error: { message: 'gone' } }, 404).code).toBe('not_found');
  });

  it('returns the same ApiError unchanged', () => {
    const e = new ApiError('network', 'down');
    expect(ApiError.from(e)).toBe(e);
  });
});

describe('retryable', () => {
  it.each([
    ['network', undefined, true],
    ['timeout', undefined, true],
    ['internal', 502, true],
    ['internal', 503, true],
    ['internal', 500, false],
    ['bad_input', 400, false],
    ['forbidden', 403, false],
    ['not_found', 404, false],
    ['conflict', 409, false],
    ['internal', undefined, false],
  ] as const)('%s (HTTP %s) → %s', (code, status, want) => {
    expect(new ApiError(code, 'x', [], status).retryable).toBe(want);
  });
});

describe('errorMessage', () => {
  it('gives a human sentence with the detail', () => {
    expect(errorMessage(new ApiError('network', 'fetch failed'))).toBe('The PdM Studio backend could not be reached: fetch failed');
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorMessage('text')).toBe('text');
  });
});
