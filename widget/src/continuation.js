// The previous conversation, kept as the continuation token the start-chat API answered it with: the
// API continues a chat only for the holder of that token, until its expiry. What "Continue previous
// conversation" sends; forgotten at expiry, or at once when the customer asks ("Forget this conversation").

export class PreviousChat {
  /** `store`: the ChatStore (storage.js) whose `previous` slot holds `{contactId, token, expiresAt}`. */
  constructor(store, now = () => Date.now()) {
    this.store_ = store;
    this.now_ = now;
  }

  /** The unexpired previous conversation, or null. Anything else found there (an expired token, the
   * bare ContactId earlier versions kept) is dropped on sight. */
  get current() {
    const previous = this.store_.get('previous');
    const valid = previous && typeof previous === 'object' && previous.contactId && previous.token;
    if (valid && Date.parse(previous.expiresAt) > this.now_()) return previous;
    if (previous) this.forget();
    return null;
  }

  /** Keep an ended chat for continuing, if the API gave it a continuation. */
  remember(chat) {
    const grant = chat.continuation;
    this.store_.set('previous', grant?.token ? { contactId: chat.contactId, token: grant.token, expiresAt: grant.expiresAt } : null);
  }

  forget() {
    this.store_.set('previous', null);
  }

  /** The start request's `PersistentChat`, or null when there is nothing to continue. */
  persistentChat() {
    const previous = this.current;
    return previous && { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: previous.contactId, ContinuationToken: previous.token };
  }
}

/** `Authorization` for a start when the site requires a start token (`auth-token-url`): the site's
 * backend answers `{"token": "..."}` to a same-origin POST, identifying its customer by their session. */
export async function startTokenHeaders(url, fetchFn) {
  if (!url) return {};
  let token;
  try {
    const response = await fetchFn(url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
    token = response.ok ? (await response.json())?.token : undefined;
  } catch {
    // the site's backend is unreachable: the API answers the missing token with its 401
  }
  return typeof token === 'string' && token ? { Authorization: `Bearer ${token}` } : {};
}
