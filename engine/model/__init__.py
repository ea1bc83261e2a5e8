"""Stage 0, model: the pydantic schemas every stage shares (case, rule, finding), three-valued values and logic, the instruments table."""
