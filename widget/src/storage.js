// What survives a page refresh: the active chat (to resume it), the last ended chat's continuation (to
// offer "Continue previous conversation" through persistent chat; continuation.js reads it), and the
// customer's name for the next start. sessionStorage by default, so a chat
// stays in its tab; `storage="local"` shares it across tabs and browser restarts.

export class ChatStore {
  constructor(kind = 'session', key = 'default') {
    this.key_ = `connect-chat:${key}`;
    try {
      this.area_ = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
    } catch {
      this.area_ = null; // storage blocked (privacy settings): the widget still works, without resume
    }
  }

  /** What is kept under `key` (null if nothing): 'active' (the active chat), 'previous' (the last ended
   * chat's `{contactId, token, expiresAt}`, see continuation.js) or 'name' (the name the customer last
   * started a chat with). */
  get(key) {
    return this.all_()[key] || null;
  }

  /** Keep `value` under `key` (null: nothing). */
  set(key, value) {
    try {
      this.area_?.setItem(this.key_, JSON.stringify({ ...this.all_(), [key]: value || undefined }));
    } catch {
      // quota or blocked storage: resume is best effort
    }
  }

  all_() {
    try {
      return JSON.parse(this.area_?.getItem(this.key_) || '{}');
    } catch {
      return {};
    }
  }
}
