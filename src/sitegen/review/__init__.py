"""Review of a change (``check`` and ``diff``): checks on the built site and what a change does."""
