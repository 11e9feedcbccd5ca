// Starting a chat through the start-chat API and recording it in the ChatStore (storage.js), so that a
// page refresh resumes it and a later visit can continue it through persistent chat.

import { startChat, uuid } from './protocol.js';

export class ChatStarter {
  /** `store`: the ChatStore where the active and the previous chat are kept; `fetchFn`: the browser's
   * fetch unless given. */
  constructor(store, fetchFn) {
    this.store = store;
    this.fetchFn = fetchFn;
    this.key = null; // the last request that may have reached the API unanswered
  }

  /** POST the start-chat API and store the new chat as the active one; answers that chat record.
   * `continuePrevious`: rehydrate the last ended chat. Retrying the same request (its answer was lost)
   * reuses its ClientToken: no second contact. */
  async start(apiUrl, { name, attributes, continuePrevious }) {
    const body = { ParticipantDetails: { DisplayName: name }, Attributes: { customerName: name, ...attributes } };
    if (continuePrevious && this.store.previous) {
      body.PersistentChat = { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: this.store.previous };
    }
    const key = JSON.stringify(body);
    if (key !== this.key) this.token = uuid();
    this.key = key;
    let answer;
    try {
      answer = await startChat(apiUrl, { ...body, ClientToken: this.token }, this.fetchFn);
    } catch (error) {
      if (error.status >= 400 && error.status < 500 && error.status !== 429) this.forget(); // refused: a new attempt
      throw error;
    }
    this.forget();
    const { startChatResult: r, featurePermissions } = answer;
    const chat = {
      contactId: r.ContactId, participantId: r.ParticipantId, token: r.ParticipantToken,
      features: featurePermissions, startedAt: Date.now(), open: true, name,
    };
    this.store.active = chat;
    this.store.name = name; // kept past the chat's end: "Continue previous conversation" needs it again
    return chat;
  }

  /** The next start is a new attempt with a new ClientToken. */
  forget() {
    this.key = null;
  }
}
