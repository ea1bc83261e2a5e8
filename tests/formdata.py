"""Collect what a browser would submit from an HTML form (inputs, selects, textareas; not <template> content)."""
from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.template = 0
        self.pairs: list[tuple[str, str]] = []
        self._select = None
        self._select_value = None
        self._option = None
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or a.get("id") == self.form_id
            return
        if not self.inside:
            return
        if tag == "template":
            self.template += 1
        if self.template:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if not a.get("name") or kind in ("submit", "button"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.pairs.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select":
            self._select, self._select_value = a.get("name"), None
            self._first = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first is None:
                self._first = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag):
        if tag == "template" and self.inside:
            self.template -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "select" and self._select and not self.template:
            self.pairs.append((self._select, self._select_value if self._select_value is not None else (self._first or "")))
            self._select = None
        elif tag == "textarea" and self._textarea and not self.template:
            text = "".join(self._text)
            self.pairs.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_pairs(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.pairs


def replace(pairs, name: str, value: str):
    out, done = [], False
    for k, v in pairs:
        if k == name:
            out.append((k, value))
            done = True
        else:
            out.append((k, v))
    if not done:
        out.append((name, value))
    return out


def encoded(pairs) -> dict:
    """Keyword arguments for a test client's post(): the pairs as a browser sends a form."""
    from urllib.parse import urlencode

    return {"content": urlencode(pairs).encode(), "headers": {"content-type": "application/x-www-form-urlencoded"}}
