"""The live preview (``serve``): watching, rebuilding incrementally, serving with livereload."""
