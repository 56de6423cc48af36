/** Keyset cursors over UUIDv7 ids (newest first), checked before they reach a uuid column. */
import { AppError, decodeCursor } from '@fusioncommerce/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ID_DESC = 'id_desc';

/** The id a cursor points after; a tampered one is a clear 400, not a database error. */
export function cursorId(cursor: string, sort = ID_DESC): string {
  const { id } = decodeCursor(cursor, sort);
  if (!UUID.test(id)) {
    throw new AppError('REQUEST.INVALID_CURSOR', 'invalid', 'The cursor is not one this list handed out; start again without it.', {
      errors: [{ pointer: '/querystring/cursor', message: 'is not a valid cursor' }],
    });
  }
  return id;
}
