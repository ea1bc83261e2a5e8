"""Stage 5, evaluate: a compiled plan run on a case by the native or the durable engine, outcomes with traces, the report."""
