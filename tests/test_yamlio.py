import pytest

from engine.io.errors import InputError
from engine.io.yamlio import decode, dump_text, load_text


def test_positions_point_at_keys_and_items():
    doc = load_text("f.yaml", "a: 1\nb:\n  - c: x\n    d: [1, 2]\n")
    assert doc.positions[("b", 0, "d")] == (4, 5)
    assert doc.where(("b", 0, "d", 1, "nonexistent")) == (4, 12)


def test_dates_stay_text():
    assert load_text("f.yaml", "d: 2011-09-08\n").data == {"d": "2011-09-08"}


def test_python_tags_are_refused_with_a_line():
    with pytest.raises(InputError) as err:
        load_text("f.yaml", "a: 1\nb: !!python/object/apply:os.system [echo hi]\n")
    assert err.value.line == 2 and "not allowed" in err.value.message


def test_alias_bomb_is_stopped():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]")
    with pytest.raises(InputError) as err:
        load_text("bomb.yaml", "\n".join(lines))
    assert "alias bomb" in err.value.message


def test_duplicate_keys_are_an_error():
    with pytest.raises(InputError) as err:
        load_text("f.yaml", "id: a\nid: b\n")
    assert err.value.line == 2 and "duplicate key" in err.value.message


def test_bom_crlf_and_tabs_in_strings_load():
    text = decode("f.yaml", "\ufeffid: a\r\nname: \"x\ty\"\r\n".encode("utf-8"))
    assert load_text("f.yaml", text).data == {"id": "a", "name": "x\ty"}


def test_non_utf8_and_binary_name_the_line():
    with pytest.raises(InputError) as err:
        decode("f.yaml", b"id: a\nname: \xff\n")
    assert err.value.line == 2 and "UTF-8" in err.value.message
    with pytest.raises(InputError) as err:
        decode("f.yaml", b"id: a\n\x00\x01")
    assert "binary" in err.value.message


def test_empty_and_deep_files():
    with pytest.raises(InputError, match="empty"):
        load_text("f.yaml", "")
    with pytest.raises(InputError, match="nested"):
        load_text("f.yaml", "a: " + "[" * 100 + "]" * 100)


def test_yaml_syntax_error_gives_line_and_hint():
    with pytest.raises(InputError) as err:
        load_text("r.yaml", "id: x\nwhen: any c in custody: c.hours > 1\n")
    assert err.value.line == 2 and "block" in err.value.message


def test_written_yaml_reads_back_as_the_same_strings():
    # PyYAML's emitter is YAML 1.1: `1e100`, `0o17` and `.5` are text to it but numbers to the 1.2 reader
    data = {"quote": "1e100", "octal": "0o17", "half": ".5", "yes": "on", "time": "1:30", "n": 12, "x": "\u0085z"}
    text = dump_text(data)
    assert "quote: '1e100'" in text
    assert load_text("w.yaml", text).data == data


def test_written_numbers_keep_their_text():
    doc = load_text("n.yaml", "article: 017\nparagraph: 1.10\n")
    assert dump_text(doc.data) == "article: 017\nparagraph: 1.10\n"
