"""The agent workspace at `/agent`: the Contact Control Panel's chat experience in a browser.

Its JavaScript (src/, bundled with the widget's protocol client and markdown renderer by
widget/build.mjs into dist/agent-workspace.js, committed) talks only to the sandbox's agent API,
its event stream, the Participant Service and the metrics view here (`/sandbox/metrics`).
"""
