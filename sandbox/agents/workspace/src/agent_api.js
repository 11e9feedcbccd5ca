// The sandbox's agent API (/sandbox/agents), its event stream, the clock and the metrics view.
// Same-origin only; every write is JSON (the sandbox may refuse other content types).

import { ServiceError } from '../../../../widget/src/protocol.js';

export class AgentApi {
  constructor({ fetch, EventSource } = {}) {
    this.fetch = fetch || globalThis.fetch.bind(globalThis);
    this.EventSource = EventSource || globalThis.EventSource;
  }

  /** One request; answers the JSON body or throws ServiceError (status 0: the sandbox is unreachable). */
  async call(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body ?? {});
    }
    let response;
    try {
      response = await this.fetch(path, init);
    } catch (error) {
      throw new ServiceError(0, 'NetworkError', error?.message);
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new ServiceError(response.status, data.error?.code, data.error?.message);
    return data;
  }

  info() {
    return this.call('GET', '/sandbox/info');
  }

  metrics() {
    return this.call('GET', '/sandbox/metrics');
  }

  login(name) {
    return this.call('POST', '/sandbox/agents', { name });
  }

  agent(agentId) {
    return this.call('GET', `/sandbox/agents/${encodeURIComponent(agentId)}`);
  }

  logout(agentId) {
    return this.call('DELETE', `/sandbox/agents/${encodeURIComponent(agentId)}`);
  }

  setStatus(agentId, status) {
    return this.call('PUT', `/sandbox/agents/${encodeURIComponent(agentId)}/status`, { status });
  }

  /** accept | reject | leave | clear; accept answers `{participantToken, displayName, ...}`. */
  contact(agentId, contactId, action) {
    const path = `/sandbox/agents/${encodeURIComponent(agentId)}/contacts/${encodeURIComponent(contactId)}/${action}`;
    return this.call('POST', path);
  }

  advanceClock(seconds) {
    return this.call('POST', '/sandbox/clock', { advanceSeconds: seconds });
  }

  /** The agent's server-sent events: `onSnapshot(snapshot)` on each `agent` event, `onState('live' |
   * 'lost')` as the stream opens and drops (EventSource reconnects by itself). */
  events(agentId, { onSnapshot, onState }) {
    const source = new this.EventSource(`/sandbox/agents/${encodeURIComponent(agentId)}/events`);
    source.addEventListener('agent', (event) => onSnapshot(JSON.parse(event.data)));
    source.onopen = () => onState('live');
    source.onerror = () => onState(source.readyState === 2 ? 'closed' : 'lost');
    return source;
  }
}
