"""Stage 3, lang: the condition language of rules (lark grammar, parser, syntax tree); never eval."""
