// Entry point of dist/agent-workspace.js (served at /agent-workspace.js for the page at /agent).

import { Workspace } from './workspace.js';

new Workspace(document.getElementById('workspace')).start();
