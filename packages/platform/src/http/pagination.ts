/**
 * Opaque cursors for keyset pagination: base64url JSON of the sort the page
 * was made with and the last row's sort key. A cursor from another sort, or
 * one that was tampered with, is a clear 400 rather than a wrong page.
 */
import { AppError } from '../errors.ts';

export interface CursorPosition {
  /** The sort the cursor belongs to. */
  sort: string;
  /** The last row's sort value (null when that column was null). */
  value: string | number | null;
  /** The last row's id, the tie-breaker. */
  id: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const badCursor = (): AppError =>
  new AppError('REQUEST.INVALID_CURSOR', 'invalid', 'The cursor is not one this list handed out; start again without it.', {
    errors: [{ pointer: '/querystring/cursor', message: 'is not a valid cursor' }],
  });

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.sort, position.value, position.id])).toString('base64url');
}

/** What a list's cursor must hold, checked before any of it reaches SQL (a mistyped value there is a 500, not a 400). */
export interface CursorShape {
  /** `uuid` for the usual row ids. */
  id?: 'uuid';
  /** `timestamp`: an ISO date-time; `number`: a finite number; `string`: any text. */
  value?: 'timestamp' | 'number' | 'string';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fits(position: CursorPosition, shape: CursorShape): boolean {
  if (shape.id === 'uuid' && !UUID.test(position.id)) return false;
  const { value } = position;
  switch (shape.value) {
    case 'timestamp':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    default:
      return true;
  }
}

export function decodeCursor(cursor: string, sort: string, shape: CursorShape = {}): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw badCursor();
  const [s, value, id] = parsed as unknown[];
  const valueOk = value === null || typeof value === 'number' || (typeof value === 'string' && value.length <= 500);
  if (s !== sort || !valueOk || typeof id !== 'string' || id.length > 100) throw badCursor();
  const position = { sort, value: value as CursorPosition['value'], id };
  if (!fits(position, shape)) throw badCursor();
  return position;
}

/** Splits a `limit + 1` fetch into a page and the cursor for the next one. */
export function toPage<T>(rows: T[], limit: number, positionOf: (row: T) => CursorPosition): Page<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, nextCursor: hasMore && last ? encodeCursor(positionOf(last)) : null };
}
