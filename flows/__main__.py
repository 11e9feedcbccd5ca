"""``python -m flows``: render the chat flows or validate flow-language files."""

from flows.cli import main

raise SystemExit(main())
