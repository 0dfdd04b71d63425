"""What editors write: reading it safely, validating it, describing it (schemas, scaffolds, a new site)."""
