"""Who made a report, when, and with which rules — without breaking byte-identical output.

The date is never read from the clock: it is given (``--date 2026-11-30``) or taken from
``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), and left out otherwise. The rules are named by
a digest of their content, so two runs on the same rule base print the same words.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from engine.io.errors import InputError
from engine.render import human

_INTERNAL_TAG = re.compile(r"\s*\((?:seed|src)\s*[0-9]+\)", re.IGNORECASE)


@dataclass(frozen=True)
class Meta:
    date: str | None = None  # YYYY-MM-DD
    author: str | None = None
    rules: tuple[int, str] | None = None  # (how many rules, digest of what they say)
    redactor: Callable[[str], str] | None = field(default=None, compare=False)  # --redact: names -> initials

    def date_text(self, lang: str = "en") -> str:
        return human.when_text(self.date, lang) if self.date else ""

    def rules_text(self, lang: str = "en") -> str:
        """``103 rules, 1a2b3c4d5e6f``: the rule base by count and content digest."""
        if not self.rules:
            return ""
        n, digest = self.rules
        word = human.plural_ru(n, "правило", "правила", "правил") if lang == "ru" else ("rule" if n == 1 else "rules")
        return f"{n} {word}, {digest}"

    def with_rules(self, rules: tuple[int, str], redactor=None) -> "Meta":
        return replace(self, rules=rules, redactor=redactor)

    def redact(self, text: str) -> str:
        return self.redactor(text) if self.redactor and text else text


def report_date(option: str | None, environ=os.environ) -> str | None:
    """The date to print: the option, else SOURCE_DATE_EPOCH, else none (never today's clock)."""
    if option:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", option):
            raise InputError("--date", f"not a date: {option!r} (write 2026-11-30)")
        try:
            datetime.strptime(option, "%Y-%m-%d")
        except ValueError:
            raise InputError("--date", f"{option!r} is not a real date") from None
        return option
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        if not epoch.isdigit():
            raise InputError("SOURCE_DATE_EPOCH", f"not a number of seconds: {epoch!r}")
        return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%d")
    return None


def rules_version(plan) -> tuple[int, str]:
    """The rule base by content: how many rules, and a digest of what they say (not where the files are)."""
    from engine.compile.plan import rules_digest

    return len(plan.rules), rules_digest(plan)


def clean_source_title(title: str) -> str:
    """A source as an outside reader should see it: without the project's internal tags ("(seed 004)")."""
    return _INTERNAL_TAG.sub("", title or "").strip()
