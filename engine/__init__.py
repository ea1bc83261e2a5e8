"""trialcheck: evaluates facts of legal proceedings against rules of Kazakh and international law.

The package reads in the order of the pipeline; a stage imports only stages before it:

    model    schemas shared by every stage (case, rule, finding), three-valued logic, instruments table
    io       safe YAML, loading and validating case and rule files, errors with file:line, atomic writes
    derive   facts computed from a case (durations, bounds, editions, MCI) and the fact-path registry
    lang     the condition language: grammar, parser, syntax tree
    compile  rules turned into a plan of closures; the plan cache
    evaluate the plan run on a case (native engine, durable engine), outcomes, the report
    render   JSON, Markdown, text, HTML, CSV, HURIDOCS
    tools    the rule developer's commands (lint, examples, consistency, docs, explain)
    cli      the `trialcheck` command (a face: may import every stage)
"""

__version__ = "0.1.0"
