// ApiError is the one error type every bridge call rejects with, whatever the transport.
// The backend's error object is {code, message, fields?}; see docs/developer-guide.md.

export type ErrorCode =
  | 'bad_input'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'internal'
  // Produced by the frontend itself:
  | 'network' // the backend could not be reached
  | 'timeout' // no answer in time
  | 'bad_response'; // the answer was not the JSON envelope we expect

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'bad_input',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ErrorCode | string;
  readonly fields: FieldError[];
  /** HTTP status in serve mode; undefined under Wails or when nothing came back. */
  readonly status: number | undefined;

  constructor(code: ErrorCode | string, message: string, fields: FieldError[] = [], status?: number) {
    super(message);
    this.code = code;
    this.fields = fields;
    this.status = status;
  }

  /** Network trouble or an overloaded server: worth another try. Input errors are not. */
  get retryable(): boolean {
    if (this.code === 'network' || this.code === 'timeout') return true;
    return this.status !== undefined && this.status >= 502;
  }

  /** The message for a given field, if the backend named one. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }

  /** A sentence for people: what went wrong, in words, without the code. */
  get title(): string {
    switch (this.code) {
      case 'bad_input':
        return 'Some input was not accepted';
      case 'forbidden':
        return 'You do not have permission to do this';
      case 'not_found':
        return 'Not found';
      case 'conflict':
        return 'This conflicts with the current state';
      case 'network':
        return 'The PdM Studio backend could not be reached';
      case 'timeout':
        return 'The backend did not answer in time';
      case 'bad_response':
        return 'The backend sent an answer the app could not read';
      default:
        return 'Something went wrong';
    }
  }

  /** Builds an ApiError from anything a transport may reject with. */
  static from(err: unknown, status?: number): ApiError {
    if (err instanceof ApiError) return err;
    const body = parseErrorBody(err);
    if (body) {
      const code = body.code || (status !== undefined ? (HTTP_CODES[status] ?? 'internal') : 'internal');
      return new ApiError(code, body.message || 'Unknown error', normaliseFields(body.fields), status);
    }
    if (err instanceof Error) return new ApiError('internal', err.message, [], status);
    return new ApiError('internal', String(err), [], status);
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** A human sentence for any error, for toasts and alerts. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message && err.message !== err.title ? `${err.title}: ${err.message}` : err.title;
  if (err instanceof Error) return err.message;
  return String(err);
}

function normaliseFields(fields: unknown): FieldError[] {
  if (!Array.isArray(fields)) return [];
  return fields
    .filter((f): f is { field: unknown; message: unknown } => typeof f === 'object' && f !== null)
    .map((f) => ({ field: String(f.field ?? ''), message: String(f.message ?? '') }));
}

/**
 * Accepts the error object itself, the HTTP envelope {"error": {...}}, a JSON string of either
 * (Wails rejects with the error's JSON as a string), or an Error whose message is such a string.
 */
function parseErrorBody(err: unknown): ApiErrorBody | null {
  let value: unknown = err;
  if (value instanceof Error) value = value.message;
  if (typeof value === 'string') {
    const s = value.trim();
    if (!s.startsWith('{')) return null;
    try {
      value = JSON.parse(s);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const obj = value as Record<string, unknown>;
  const inner = typeof obj.error === 'object' && obj.error !== null ? (obj.error as Record<string, unknown>) : obj;
  if (typeof inner.message !== 'string' && typeof inner.code !== 'string') return null;
  return {
    code: typeof inner.code === 'string' ? inner.code : '',
    message: typeof inner.message === 'string' ? inner.message : '',
    fields: inner.fields as FieldError[] | undefined,
  };
}
