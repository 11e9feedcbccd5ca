// Starting a chat through the start-chat API and recording it in the ChatStore (storage.js), so that a
// page refresh resumes it and a later visit can continue it through persistent chat.

import { startChat, uuid } from './protocol.js';
import { PreviousChat, startTokenHeaders } from './continuation.js';

export class ChatStarter {
  /** `store`: the ChatStore where the active and the previous chat are kept; `fetchFn`: the browser's
   * fetch unless given; `authTokenUrl`: the site's start-token endpoint, if it requires one. */
  constructor(store, fetchFn, authTokenUrl) {
    this.store_ = store;
    this.previous_ = new PreviousChat(store);
    this.fetchFn_ = fetchFn || globalThis.fetch.bind(globalThis);
    this.authTokenUrl_ = authTokenUrl;
    this.key_ = null; // the last request that may have reached the API unanswered
  }

  /** POST the start-chat API and store the new chat as the active one; answers that chat record.
   * `continuePrevious`: rehydrate the last ended chat. Retrying the same request (its answer was lost)
   * reuses its ClientToken: no second contact. */
  async start(apiUrl, { name, attributes, continuePrevious }) {
    const body = {
      ParticipantDetails: { DisplayName: name }, Attributes: { customerName: name, ...attributes },
      PersistentChat: (continuePrevious && this.previous_.persistentChat()) || undefined, // none: not sent
    };
    const key = JSON.stringify(body);
    if (key !== this.key_) this.token_ = uuid();
    this.key_ = key;
    let answer;
    try {
      const headers = await startTokenHeaders(this.authTokenUrl_, this.fetchFn_);
      answer = await startChat(apiUrl, { ...body, ClientToken: this.token_ }, this.fetchFn_, headers);
    } catch (error) {
      if (error.status >= 400 && error.status < 500 && error.status !== 429) this.forget(); // refused: a new attempt
      throw error;
    }
    this.forget();
    const { startChatResult: r, featurePermissions, continuation } = answer;
    const chat = {
      contactId: r.ContactId, participantId: r.ParticipantId, token: r.ParticipantToken,
      features: featurePermissions, startedAt: Date.now(), open: true, name, continuation,
    };
    this.store_.set('active', chat);
    this.store_.set('name', name); // kept past the chat's end: "Continue previous conversation" needs it again
    return chat;
  }

  /** The next start is a new attempt with a new ClientToken. */
  forget() {
    this.key_ = null;
  }
}
