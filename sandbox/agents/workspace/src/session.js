// The agent's session in sessionStorage (per browser tab, as the CCP's login): which agent this tab
// is and the participant tokens of its accepted chats, so a refresh reconnects to every open chat.

const KEY = 'connect-agent-workspace';

export class Session {
  constructor(storage = globalThis.sessionStorage) {
    this.storage = storage;
    let saved = null;
    try {
      saved = JSON.parse(storage.getItem(KEY) || 'null');
    } catch {
      // an unreadable entry is no session
    }
    this.agentId = saved?.agentId || null;
    this.chats = saved?.chats || {}; // contactId → {participantToken, displayName}
  }

  save() {
    this.storage.setItem(KEY, JSON.stringify({ agentId: this.agentId, chats: this.chats }));
  }

  start(agentId) {
    this.agentId = agentId;
    this.chats = {};
    this.save();
  }

  addChat(contactId, credentials) {
    this.chats[contactId] = credentials;
    this.save();
  }

  /** Forget chats the agent no longer holds. */
  keepOnly(contactIds) {
    for (const id of Object.keys(this.chats)) if (!contactIds.has(id)) delete this.chats[id];
    this.save();
  }

  end() {
    this.agentId = null;
    this.chats = {};
    this.storage.removeItem(KEY);
  }
}
