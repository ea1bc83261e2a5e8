"""The README's sample output is the tool's output: run the command written above the block and compare.

With TRIALCHECK_UPDATE_README=1 the test rewrites the block instead (and passes), so the sample is
regenerated, never edited by hand.
"""
import os
import re
import shlex

from tests.helpers import ROOT, run_cli

BLOCK = re.compile(r"<!-- sample: (?P<cmd>[^\n]+?) -->\n```\n(?P<body>.*?)```\n<!-- /sample -->", re.S)


def _sample(cmd: str) -> str:
    args = shlex.split(cmd)
    assert args[0] == "trialcheck"
    result = run_cli(*args[1:], env={"SOURCE_DATE_EPOCH": ""})
    assert result.returncode in (0, 1), result.stderr
    # from the first case on: the header names the rule base's digest, which changes with any rule
    body = result.stdout[result.stdout.index("## Case"):]
    return f"$ {cmd}\n...\n{body}"


def test_readme_sample_is_the_tools_output():
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert blocks, "README.md has no <!-- sample: ... --> block"
    if os.environ.get("TRIALCHECK_UPDATE_README") == "1":
        for m in reversed(blocks):
            fresh = _sample(m.group("cmd"))
            text = text[:m.start("body")] + fresh + text[m.end("body"):]
        readme.write_text(text, encoding="utf-8")
        return
    for m in blocks:
        assert m.group("body") == _sample(m.group("cmd")), (
            "README.md sample output is stale: run TRIALCHECK_UPDATE_README=1 pytest tests/test_readme_sample.py")
