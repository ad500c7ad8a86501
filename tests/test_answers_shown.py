"""The answers written in worksheets, shown where the remark and the account are shown:
`account show` the latest, `remark show` those about the remark, every line kept (issue 23)."""

from __future__ import annotations

import json
import re

from tests.helpers import in_terminal

TWO_LINES = "Manual journal entries.\nNobody owns the mappings."


def _answer_every_question(run, tmp_path, count: int) -> list[tuple[int | None, str, str]]:
    """Answer the worksheet's first `count` questions (the first in two lines); the
    (remark id, question, answer) of each, in the order written."""
    sheet = run("worksheet", "Acme").stdout
    written: list[tuple[int | None, str, str]] = []
    out: list[str] = []
    remark: int | None = None
    for line in sheet.split("\n"):
        out.append(line)
        heading = re.match(r"^### Remark (\d+)", line)
        if heading:
            remark = int(heading.group(1))
        elif line.startswith("## ") and not line.startswith("## What they said"):
            remark = None
        question = re.match(r"^\*\*Q:\*\* (.+)$", line)
        if question and len(written) < count:
            text = TWO_LINES if not written else f"Answer number {len(written) + 1}."
            written.append((remark, question.group(1), text))
            out.append(text)
    path = tmp_path / "filled.md"
    path.write_text("\n".join(out), encoding="utf-8")
    run("reflect", "Acme", "--from", str(path))
    return written


def _acme(run):
    run("account", "add", "Acme", "--need", "Faster close")
    run("remark", "add", "Acme", "Our close takes six days.", "--on", "2026-11-02")
    run("remark", "add", "Acme", "Audit fees went up 30%.", "--on", "2026-11-09")


def test_account_show_has_the_latest_five_answers_and_counts_the_rest(run, tmp_path):
    _acme(run)
    written = _answer_every_question(run, tmp_path, 7)
    shown = json.loads(run("account", "show", "Acme", "--json").stdout)
    assert shown["answer_count"] == 7
    latest = written[-5:]
    assert [(a["remark_id"], a["question"], a["answer"]) for a in shown["answers"]] == latest
    assert {a["written_on"] for a in shown["answers"]} == {"2026-11-25"}

    result = run("account", "show", "Acme")
    text = result.stdout
    assert "Latest 5 of 7 answers" in text
    for remark, question, answer in latest:
        assert answer in text
        assert question[:30] in text
        if remark is not None:
            assert f"#{remark}" in text
    assert "Manual journal entries." not in text  # the oldest two are counted, not shown
    assert "2 more answers" in result.stdout + result.stderr


def test_account_show_keeps_every_line_of_an_answer(run, tmp_path):
    _acme(run)
    _answer_every_question(run, tmp_path, 1)
    text = run("account", "show", "Acme").stdout
    first, second = TWO_LINES.split("\n")
    assert re.search(re.escape(first) + r"\s*\n\s+" + re.escape(second), text)
    shown = json.loads(run("account", "show", "Acme", "--json").stdout)
    assert shown["answers"][0]["answer"] == TWO_LINES and shown["answer_count"] == 1


def test_account_show_without_answers_says_how_to_write_them(run):
    _acme(run)
    shown = json.loads(run("account", "show", "Acme", "--json").stdout)
    assert shown["answers"] == [] and shown["answer_count"] == 0
    assert "No answers yet" in run("account", "show", "Acme").stdout


def test_remark_show_has_the_answers_about_it(run, tmp_path):
    _acme(run)
    written = _answer_every_question(run, tmp_path, 7)
    by_remark: dict[int, list[tuple[str, str]]] = {}
    for remark, question, answer in written:
        if remark is not None:
            by_remark.setdefault(remark, []).append((question, answer))
    assert by_remark, written
    for remark, answers in by_remark.items():
        shown = json.loads(run("remark", "show", str(remark), "--json").stdout)
        assert shown["answer_count"] == len(answers)
        assert [(a["question"], a["answer"]) for a in shown["answers"]] == answers
        text = run("remark", "show", str(remark)).stdout
        for question, answer in answers:
            for line in answer.split("\n"):
                assert line in text
            assert question[:30] in text
    other = 1 if 1 not in by_remark else 2
    if other not in by_remark:
        shown = json.loads(run("remark", "show", str(other), "--json").stdout)
        assert shown["answers"] == [] and shown["answer_count"] == 0


def test_on_a_narrow_terminal_the_answer_is_never_squeezed_out(run, store_target, tmp_path):
    _acme(run)
    _answer_every_question(run, tmp_path, 1)
    for args in (("account", "show", "Acme"), ("remark", "show", "1")):
        seen = in_terminal("--db", store_target, *args, columns=60)
        for line in TWO_LINES.split("\n"):
            assert line in seen, seen


def test_answers_about_a_deleted_remark_leave_account_show_but_stay_with_it(run, tmp_path):
    _acme(run)
    written = _answer_every_question(run, tmp_path, 5)
    about_first = [w for w in written if w[0] == 1]
    assert about_first and len(about_first) < len(written)
    run("remark", "delete", "1")
    shown = json.loads(run("account", "show", "Acme", "--json").stdout)
    assert shown["answer_count"] == len(written) - len(about_first)
    assert all(a["remark_id"] != 1 for a in shown["answers"])
    deleted = json.loads(run("remark", "show", "1", "--json").stdout)
    assert deleted["answer_count"] == len(about_first)
