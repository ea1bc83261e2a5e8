"""Stage 4, compile: rules and their conditions turned into a plan of closures, cached safely."""
