// What survives a page refresh: the active chat (to resume it), the last ended chat's continuation (to
// offer "Continue previous conversation" through persistent chat; continuation.js reads it), and the
// customer's name for the next start. sessionStorage by default, so a chat
// stays in its tab; `storage="local"` shares it across tabs and browser restarts.

export class ChatStore {
  constructor(kind = 'session', key = 'default') {
    this.key = `connect-chat:${key}`;
    try {
      this.area = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
    } catch {
      this.area = null; // storage blocked (privacy settings): the widget still works, without resume
    }
  }

  read() {
    try {
      return JSON.parse(this.area?.getItem(this.key) || '{}');
    } catch {
      return {};
    }
  }

  write(changes) {
    try {
      this.area?.setItem(this.key, JSON.stringify({ ...this.read(), ...changes }));
    } catch {
      // quota or blocked storage: resume is best effort
    }
  }

  /** The active chat, or null. */
  get active() {
    return this.read().active || null;
  }

  set active(chat) {
    this.write({ active: chat || undefined });
  }

  /** The last ended chat's `{contactId, token, expiresAt}` (see continuation.js), or null. */
  get previous() {
    return this.read().previous || null;
  }

  set previous(continuation) {
    this.write({ previous: continuation || undefined });
  }

  /** The name the customer last started a chat with ('' if none). */
  get name() {
    return this.read().name || '';
  }

  set name(name) {
    this.write({ name: name || undefined });
  }
}
