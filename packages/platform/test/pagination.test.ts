import { describe, expect, it } from 'vitest';
import { AppError, decodeCursor, encodeCursor, mergeNewestFirst, toPage } from '../src/index.ts';

describe('cursors', () => {
  it('when a cursor round-trips, then it decodes to the same position', () => {
    const cursor = encodeCursor({ sort: 'title', value: 'Tent', id: 'abc' });
    expect(decodeCursor(cursor, 'title')).toEqual({ sort: 'title', value: 'Tent', id: 'abc' });
  });

  it.each([
    ['garbage', 'title'],
    [Buffer.from('{"a":1}').toString('base64url'), 'title'],
    [Buffer.from('["title",{"x":1},"id"]').toString('base64url'), 'title'],
    [encodeCursor({ sort: 'newest', value: null, id: 'x' }), 'title'],
  ])('when the cursor %s is given for sort %s, then it is a 400 problem', (cursor, sort) => {
    expect(() => decodeCursor(cursor, sort)).toThrow(AppError);
  });

  it('when a fetch of limit + 1 rows comes back, then the page has limit rows and a cursor only if more exist', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(toPage(rows, 2, (r) => ({ sort: 's', value: null, id: r.id })).nextCursor).not.toBeNull();
    expect(toPage(rows, 3, (r) => ({ sort: 's', value: null, id: r.id })).nextCursor).toBeNull();
  });

  it('when pages that processes answered for one query are merged, then the page is the newest across them, with a cursor while any has more', () => {
    const page = (ids: string[], more = false) => ({ data: ids.map((id) => ({ id })), nextCursor: more ? 'more' : null });
    const merged = mergeNewestFirst([page(['0005', '0002']), page(['0004', '0001']), page([])], 3);
    expect(merged.data.map((e) => e.id)).toEqual(['0005', '0004', '0002']);
    expect(decodeCursor(merged.nextCursor as string, 'newest').id).toBe('0002');
    // Exactly full, but one process said it had more.
    expect(mergeNewestFirst([page(['0003', '0002'], true), page(['0001'])], 3).nextCursor).not.toBeNull();
    expect(mergeNewestFirst([page(['0003', '0002']), page(['0001'])], 3).nextCursor).toBeNull();
  });
});
