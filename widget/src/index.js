// Entry point of widget/dist/connect-chat.js: defines <connect-chat> once, even if the script is
// included twice on a page.
import { ConnectChat } from './element.js';

if (!customElements.get('connect-chat')) customElements.define('connect-chat', ConnectChat);
