// Drives the official amazon-connect-chatjs 5.0.0 client, unmodified, against the sandbox as a
// customer, while a test agent uses the sandbox agent API and the Participant Service over fetch.
// Usage: node customer_scenario.js <sandbox base URL> <region> <startChatResult JSON>
// Prints one JSON summary line on success; exits 1 with a message on failure.
"use strict";

globalThis.self = globalThis.window = globalThis;
if (!globalThis.navigator) {
  globalThis.navigator = { onLine: true, userAgent: "node" };
}
globalThis.WebSocket = require("ws").WebSocket;
require("amazon-connect-chatjs");

const [base, region, detailsJson] = process.argv.slice(2);
const details = JSON.parse(detailsJson);
const WAIT_MS = 10000;
const EVENT = "application/vnd.amazonaws.connect.event.";

const seen = [];
const waiters = [];
function record(kind, data) {
  seen.push({ kind, data });
  for (const waiter of [...waiters]) {
    if (waiter.match(kind, data)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(data);
    }
  }
}
function waitFor(what, match) {
  const found = seen.find((entry) => match(entry.kind, entry.data));
  if (found) return Promise.resolve(found.data);
  return new Promise((resolve, reject) => {
    const waiter = { match, resolve };
    waiters.push(waiter);
    setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
  });
}

async function call(path, { method = "POST", token, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers["x-amz-bearer"] = token;
  const answer = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

async function pollUntil(what, probe) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main() {
  const agent = await call("/sandbox/agents", { body: { name: "Node Agent", concurrency: 1 } });

  connect.ChatSession.setGlobalConfig({ region, endpoint: base, throttleTime: 200, loggerConfig: { level: "error" } });
  const session = connect.ChatSession.create({ chatDetails: details, type: "CUSTOMER", disableCSM: true });
  session.onMessage((event) => record("message", event.data));
  session.onTyping((event) => record("typing", event.data));
  session.onReadReceipt((event) => record("read", event.data));
  session.onDeliveredReceipt((event) => record("delivered", event.data));
  session.onEnded((event) => record("ended", event.data));

  await session.connect();
  const greeting = await waitFor("the greeting", (k, d) => k === "message" && d.ParticipantRole === "SYSTEM");

  const sent = await session.sendMessage({ contentType: "text/plain", message: "hello from chatjs" });
  const messageId = sent.data.Id;
  await waitFor("the echo of our message", (k, d) => k === "message" && d.Id === messageId);

  const offer = await pollUntil("the offer", async () => {
    const state = await call(`/sandbox/agents/${agent.agentId}`, { method: "GET" });
    return state.contacts.find((c) => c.state === "OFFERED" && c.contactId === details.ContactId);
  });
  const accepted = await call(`/sandbox/agents/${agent.agentId}/contacts/${offer.contactId}/accept`);
  const connection = await call("/participant/connection", {
    token: accepted.participantToken,
    body: { Type: ["CONNECTION_CREDENTIALS"] },
  });
  const agentToken = connection.ConnectionCredentials.ConnectionToken;
  await waitFor("the agent joining", (k, d) => k === "message" && d.ContentType === EVENT + "participant.joined" && d.ParticipantRole === "AGENT");

  const reply = await call("/participant/message", {
    token: agentToken,
    body: { ContentType: "text/plain", Content: "hi from the agent", ClientToken: "agent-1" },
  });
  await waitFor("the agent's message", (k, d) => k === "message" && d.Id === reply.Id);

  await call("/participant/event", { token: agentToken, body: { ContentType: EVENT + "typing", ClientToken: "typing-1" } });
  await waitFor("the agent typing", (k) => k === "typing");

  const receipt = JSON.stringify({ messageId });
  await call("/participant/event", { token: agentToken, body: { ContentType: EVENT + "message.delivered", Content: receipt, ClientToken: "d-1" } });
  await waitFor("a delivered receipt", (k, d) => k === "delivered");
  await call("/participant/event", { token: agentToken, body: { ContentType: EVENT + "message.read", Content: receipt, ClientToken: "r-1" } });
  await waitFor("a read receipt", (k, d) => k === "read");

  await session.sendEvent({ contentType: EVENT + "typing" });
  await session.sendEvent({ contentType: EVENT + "message.read", content: JSON.stringify({ messageId: reply.Id }) });

  const transcript = await session.getTranscript({ maxResults: 15, scanDirection: "BACKWARD", sortOrder: "ASCENDING" });
  const contents = transcript.data.Transcript.map((item) => item.Content).filter(Boolean);

  const customerReceipt = await pollUntil("the customer's receipts", async () => {
    const page = await call("/participant/transcript", { token: agentToken, body: { MaxResults: 100 } });
    // Receipts are not transcript items: they are folded into the message's MessageMetadata.
    if (page.Transcript.some((item) => item.Type === "MESSAGEMETADATA")) throw new Error("receipt stored as an item");
    const message = page.Transcript.find((item) => item.Id === reply.Id);
    const receipts = (message && message.MessageMetadata && message.MessageMetadata.Receipts) || [];
    return receipts.some((r) => r.ReadTimestamp) ? message : undefined;
  });

  await session.disconnectParticipant();
  await waitFor("the chat to end", (k) => k === "ended");

  console.log(JSON.stringify({
    greeting: greeting.Content,
    messageId,
    transcript: contents,
    customerReceiptFrom: customerReceipt.MessageMetadata.Receipts[0].RecipientParticipantId,
    ended: true,
  }));
  process.exit(0);
}

main().catch((error) => {
  console.error(`chatjs scenario failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
