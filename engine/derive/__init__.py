"""Stage 2, derive: facts computed from a case (durations, bounds, code editions, MCI), and the registry of fact paths."""
