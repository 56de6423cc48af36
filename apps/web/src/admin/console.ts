// The admin console's API client and session (separate from a shopper's session in the same browser).
import { createApi, SessionStore } from '../shared/api.ts';

export const session = new SessionStore('fc.admin.session');
export const api = createApi(session);
