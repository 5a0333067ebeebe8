"""Edit log, JSON result and word diff, on corrections built by hand."""

from __future__ import annotations

import hashlib
import json

import pytest

from kocorrect import Correction, Edit, Flag, apply_edits
from kocorrect.errors import InputError
from kocorrect.render import correction_json, edit_log, edit_records, parse_edit_log, word_diff

SOURCE = "국가 데이터 탠 구축\n핵심 기업을 육\n\n성해 키운다.\n홍길동 기자\n"
MISREAD = Edit(7, 8, "탠", "댐", "ocr-misread", 0.92, "ㅌ read for ㄷ")
REJOIN = Edit(20, 22, "\n\n", "", "rejoin", 1.0, "broken word at column break")
SUGGEST = Edit(25, 26, "키", "기", "real-word", 0.31, "context favours 기운다")
NAME = Flag(30, 33, "unverified-name", "person name not in the registry", ("홍길순",))


def correction(edits=(MISREAD, REJOIN), suggestions=(SUGGEST,), flags=(NAME,)) -> Correction:
    return Correction(SOURCE, apply_edits(SOURCE, edits), tuple(edits), suggestions, flags)


def test_spans_fit_the_source() -> None:
    assert SOURCE[NAME.start : NAME.end] == "홍길동"
    assert SOURCE[SUGGEST.start : SUGGEST.end] == "키"


def test_edit_log_starts_with_the_page_record_then_items_in_page_order() -> None:
    log = edit_log(correction(), path="p.txt", sha256="0" * 64, version="9.9")
    records = [json.loads(line) for line in log.splitlines()]
    text = correction().text
    assert records[0] == {
        "type": "page",
        "path": "p.txt",
        "sha256": "0" * 64,
        "length": len(SOURCE),
        "kocorrect": "9.9",
        "output_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "output_length": len(text),
    }
    assert [(r["type"], r["start"]) for r in records[1:]] == [
        ("edit", 7),
        ("edit", 20),
        ("suggestion", 25),
        ("flag", 30),
    ]
    flag = records[-1]
    assert flag["original"] == "홍길동" and flag["replacement"] is None
    assert flag["reason"] == NAME.message and flag["suggestions"] == ["홍길순"]
    assert records[1] == {
        "type": "edit",
        "start": 7,
        "end": 8,
        "original": "탠",
        "replacement": "댐",
        "kind": "ocr-misread",
        "confidence": 0.92,
        "reason": "ㅌ read for ㄷ",
    }


def test_edit_log_round_trips_to_the_same_correction() -> None:
    original = correction()
    log = parse_edit_log(edit_log(original, path="p", sha256="ab", version="0"))
    assert log.page["sha256"] == "ab"
    assert log.correction(SOURCE) == original


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty edit log"),
        ('{"type": "edit", "start": 0}\n', "first record must be the page record"),
        ('{"type": "page"}\nnot json\n', ":2: not a kocorrect edit log"),
        ('{"type": "page"}\n{"type": "mystery"}\n', "unknown record type 'mystery'"),
    ],
)
def test_bad_edit_logs_are_named_with_line(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_edit_log(text, source="x.jsonl")


def test_json_result_holds_text_and_every_item() -> None:
    doc = json.loads(correction_json(correction(), path="p", sha256="ab", version="0"))
    assert doc["text"] == apply_edits(SOURCE, [MISREAD, REJOIN])
    assert doc["changed"] is True
    assert [len(doc[k]) for k in ("edits", "suggestions", "flags")] == [2, 1, 1]
    assert doc["page"]["length"] == len(SOURCE)


def test_word_diff_whole_page() -> None:
    view = word_diff(correction(), path="p.txt", context=None)
    assert view == "\n".join(
        [
            "--- p.txt",
            "+++ p.txt (corrected)",
            "# 2 edits, 1 suggestion, 1 flag",
            "@@ lines 1-5 @@",
            "국가 데이터 [-탠-]{+댐+}‹1› 구축",
            "핵심 기업을 육[-↵↵-]‹2›성해 {?키→기?}‹3›운다.",
            "{@홍길동@}‹4› 기자",
            "  ‹1› edit ocr-misread 0.92: 탠→댐 — ㅌ read for ㄷ",
            "  ‹2› edit rejoin 1.00: ↵↵→ — broken word at column break",
            "  ‹3› suggestion real-word 0.31: 키→기 — context favours 기운다",
            "  ‹4› name unverified-name: 홍길동 — person name not in the registry (maybe: 홍길순)",
        ]
    )


@pytest.mark.parametrize(
    ("edit", "inline"),
    [
        (Edit(2, 3, "c", "X", "k", 0.5, "r"), "ab[-c-]{+X+}‹1›de"),
        (Edit(2, 2, "", "X", "k", 0.5, "r"), "ab{+X+}‹1›cde"),
        (Edit(2, 3, "c", "", "k", 0.5, "r"), "ab[-c-]‹1›de"),
        (Edit(1, 3, "bc", "b c", "k", 0.5, "r"), "a[-bc-]{+b c+}‹1›de"),
    ],
)
def test_word_diff_marks_replacements_insertions_and_deletions(edit: Edit, inline: str) -> None:
    text = "abcde"
    view = word_diff(Correction(text, apply_edits(text, [edit]), (edit,)), context=0)
    assert view.splitlines()[4] == inline


def test_whitespace_only_changes_are_visible_in_notes() -> None:
    edit = Edit(1, 3, "\n\n", " ", "rejoin", 1.0, "paragraph continues")
    view = word_diff(Correction("a\n\nb", "a b", (edit,)), context=0)
    assert "a[-↵↵-]{+ +}‹1›b" in view
    assert "‹1› edit rejoin 1.00: ↵↵→␣ — paragraph continues" in view


def test_context_keeps_n_lines_around_changes_in_hunks() -> None:
    lines = [f"줄{i}" for i in range(1, 11)]
    text = "\n".join(lines) + "\n"
    start = text.index("줄5")
    edit = Edit(start, start + 1, "줄", "행", "k", 0.9, "r")
    start9 = text.index("줄9")
    edit9 = Edit(start9, start9 + 1, "줄", "행", "k", 0.9, "r")
    result = Correction(text, apply_edits(text, [edit, edit9]), (edit, edit9))
    view = word_diff(result, context=1).splitlines()
    assert view[3:] == [
        "@@ lines 4-6 @@",
        "줄4",
        "[-줄-]{+행+}‹1›5",
        "줄6",
        "  ‹1› edit k 0.90: 줄→행 — r",
        "@@ lines 8-10 @@",
        "줄8",
        "[-줄-]{+행+}‹2›9",
        "줄10",
        "  ‹2› edit k 0.90: 줄→행 — r",
    ]
    merged = word_diff(result, context=2).splitlines()
    assert [line for line in merged if line.startswith("@@")] == ["@@ lines 3-10 @@"]


def test_overlapping_items_are_all_numbered_and_explained() -> None:
    text = "홍길\n동 기자"
    edit = Edit(2, 3, "\n", "", "rejoin", 1.0, "broken name")
    flag = Flag(0, 4, "unverified-name", "check the name")
    view = word_diff(Correction(text, "홍길동 기자", (edit,), (), (flag,)), context=None)
    assert "{@홍길↵동@}‹1›‹2› 기자" in view
    assert "‹2› edit rejoin" in view and "‹1› name unverified-name" in view


def test_other_flags_are_marked_apart_from_names() -> None:
    flag = Flag(0, 2, "garbled", "unreadable run")
    view = word_diff(Correction("@@ 본문", "@@ 본문", (), (), (flag,)), context=0)
    assert "{!@@!}‹1› 본문" in view and "‹1› flag garbled: @@ — unreadable run" in view


def test_no_changes_says_so() -> None:
    view = word_diff(Correction("그대로", "그대로"), path="p")
    assert view.splitlines() == ["--- p", "+++ p (corrected)", "# 0 edits, 0 suggestions, 0 flags"]


def test_color_only_when_asked() -> None:
    plain = word_diff(correction(), context=None)
    colored = word_diff(correction(), context=None, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[31m[-탠-]\x1b[m" in colored and "\x1b[32m{+댐+}\x1b[m" in colored
    stripped = colored
    for code in ("\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m", "\x1b[2m", "\x1b[1m", "\x1b[m"):
        stripped = stripped.replace(code, "")
    assert stripped == plain


def test_every_record_type_is_covered() -> None:
    types = {r["type"] for r in edit_records(correction())}
    assert types == {"edit", "suggestion", "flag"}
