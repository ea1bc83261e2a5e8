"""Face: the rule developer's tools (lint, examples, consistency, docs, explain)."""
