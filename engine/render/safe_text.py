"""Case text is untrusted: it may not forge report lines, markup or terminal commands.

``markdown_text`` makes free text stay text in Markdown (no raw HTML, no links, no emphasis, no new
line that could start a forged finding). ``terminal_text`` removes control characters (escape
sequences that retitle, clear or colour a terminal). CSV cells are handled in ``csv_report.neutralise``.
"""
from __future__ import annotations

import re

# C0 controls except tab, DEL and C1 controls (ESC starts terminal sequences; U+009B is a one-byte CSI)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# every way text can end a line: CR, LF, NEL and the Unicode line and paragraph separators
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029\x0b\x0c]")
# Markdown punctuation that starts inline markup; `_` only where it can open or close emphasis
_MARKUP = re.compile(r"([\\`*\[\]<>|&~!]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")


def terminal_text(text):
    """Text with its line breaks turned into spaces and every other control character removed."""
    if not isinstance(text, str):
        return text
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text))


def markdown_text(text):
    """Free text as literal Markdown: one line, no control characters, markup characters escaped."""
    if not isinstance(text, str):
        return text
    return _MARKUP.sub(r"\\\1", terminal_text(text))
