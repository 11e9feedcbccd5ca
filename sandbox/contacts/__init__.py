"""The chat state every service shares: contacts and participants (model), their index and tokens
(store), what happens in a chat (chats) and the signals other components react to."""
