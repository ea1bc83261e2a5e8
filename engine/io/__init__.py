"""Stage 1, io: input and output: safe YAML reading, case and rule loading, errors that name file and line, atomic writes."""
