"""Errors about the user's input: each names the file, the line and what is wrong."""
from __future__ import annotations


class InputError(Exception):
    """Bad input. The CLI prints ``path:line:col: message`` and exits with code 2."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.path = str(path)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class InputErrors(Exception):
    """Several input errors found in one pass, reported together."""

    def __init__(self, errors: list[InputError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
