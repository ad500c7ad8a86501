"""The worksheet in Markdown, HTML and PDF, bounded for huge accounts, written to a file or a
pipe, and answers coming back through `reflect`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from focusblock.worksheet.content import MAX_QUESTIONS
from tests.conftest import EXAMPLES
from tests.pdf_text import embedded_codepoints, pdf_text

MULTILINE = (
    "Notes from the workshop:\n"
    "- the Polish entity closes late\n"
    '- "we reconcile the reconciliations"'
)
SCRIPT = "<script>alert('x')</script> & <b>bold</b>"
WORLD = "Ωμέγα Αθήνα — Привет, Москва — Ærøskøbing façade 🙂"
REMARKS = [
    ("Month-end close takes us six working days.", "need"),
    (MULTILINE, None),
    (SCRIPT, "objection"),
    (WORLD, None),
    ("Every wasted truck roll costs us $1,800.", None),
]


@pytest.fixture
def acme(run):
    run("account", "add", "Acme", "--need", "Faster close", "--decision-date", "2027-01-15")
    for index, (text, lens) in enumerate(REMARKS):
        extra = ["--lens", lens] if lens else []
        run("remark", "add", "Acme", text, "--on", f"2026-10-{index + 1:02d}", *extra)
    return run


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(document: str) -> str:
    parser = _Text()
    parser.feed(document)
    return "".join(parser.parts)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_markdown_has_every_remark_verbatim_with_questions(acme):
    markdown = acme("worksheet", "Acme").stdout
    for text, _ in REMARKS:
        quoted = "\n".join(f"> {line}" for line in text.split("\n"))
        assert quoted in markdown
    sections = re.split(r"^### ", markdown, flags=re.MULTILINE)[1:]
    assert len(sections) == len(REMARKS)
    for section in sections:
        asked = section.split("\n## ")[0].count("**Q:**")  # the account's sections follow
        assert 1 <= asked <= MAX_QUESTIONS
    for title in (
        "What they need",
        "Cost of doing nothing",
        "Value we could create",
        "Questions to ask on the next call",
    ):
        assert f"## {title}" in markdown
    assert "Decision date | 2027-01-15 (in " in markdown
    assert "_Suggested lens: cost" in markdown  # the truck-roll remark has no lens


def test_html_escapes_and_keeps_every_remark(acme, tmp_path):
    out = tmp_path / "acme.html"
    acme("worksheet", "Acme", "--format", "html", "--out", str(out))
    document = out.read_text(encoding="utf-8")
    assert "<script>alert" not in document
    assert "&lt;script&gt;alert(" in document and "&lt;b&gt;bold&lt;/b&gt;" in document
    text = html_text(document)
    for remark, _ in REMARKS:
        assert remark in text
    assert "@media print" in document and "break-inside: avoid" in document
    assert oct(out.stat().st_mode & 0o777) == "0o600"


@pytest.mark.slow  # typesets a PDF
def test_pdf_has_every_remark_escaped_and_fonts_for_every_script(acme, tmp_path):
    from focusblock.worksheet.pdf import placeholder

    out = tmp_path / "acme.pdf"
    acme("worksheet", "Acme", "--format", "pdf", "--out", str(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    text = squash(pdf_text(data))
    for remark, _ in REMARKS:
        # the emoji is drawn where a font has it, and named in a placeholder where none does
        assert squash(remark) in text or squash(remark.replace("🙂", placeholder("🙂"))) in text
    assert "<script>alert('x')</script>" in text  # shown as text, not run
    covered, embedded = embedded_codepoints(data)
    assert embedded, "every font is embedded"
    letters = [ch for ch in WORLD if ch.isalpha()]
    missing = sorted({ch for ch in letters if ord(ch) not in covered})
    assert not missing, f"no glyph for {missing}"


def _answer(markdown: str, question: str, answer: str, nth: int = 0) -> str:
    marker = f"**Q:** {question}\n"
    index = -1
    for _ in range(nth + 1):
        index = markdown.index(marker, index + 1)
    cut = index + len(marker)
    return markdown[:cut] + answer + "\n" + markdown[cut:]


@pytest.mark.both_stores("reflections stored once: a unique constraint, per database")
def test_reflect_round_trip_and_no_duplicates(acme, tmp_path):
    markdown = acme("worksheet", "Acme").stdout
    filled = _answer(
        markdown,
        "What is the problem in their own words, and what is its root cause?",
        "Manual journal entries.\nNobody owns the mappings.",
    )
    filled = _answer(filled, "How will I open the call?", "With the audit finding.")
    # an edited remark is not an answer and never changes the stored remark
    filled = filled.replace(
        "> Month-end close takes us six working days.", "> Month-end close takes 3 days."
    )
    path = tmp_path / "filled.md"
    path.write_text(filled, encoding="utf-8")

    assert "Saved 2 answers." in acme("reflect", "Acme", "--from", str(path)).stdout
    again = acme("reflect", "Acme", "--from", str(path)).stdout
    assert "Saved 0 answers; 2 were saved before." in again

    remarks = json.loads(acme("remark", "list", "Acme", "--json").stdout)
    assert remarks[0]["text"] == "Month-end close takes us six working days."

    next_sheet = acme("worksheet", "Acme").stdout
    # a two-line answer keeps its lines, and its second line is not read back as an answer
    assert "> ✎ 2026-11-25: Manual journal entries.  \n> Nobody owns the mappings.\n" in next_sheet
    assert "> ✎ 2026-11-25: With the audit finding." in next_sheet
    # the earlier answer shown under its question is not read as a new one
    path.write_text(next_sheet, encoding="utf-8")
    assert "Saved 0 answers." in acme("reflect", "Acme", "--from", str(path)).stdout


def test_reflect_with_an_editor(acme, tmp_path, monkeypatch):
    script = tmp_path / "fake-editor.sh"
    script.write_text(
        "#!/bin/sh\n"
        "python3 - \"$1\" <<'PY'\n"
        "import sys\n"
        "p = sys.argv[1]\n"
        "t = open(p, encoding='utf-8').read()\n"
        "q = '**Q:** Who gives the final yes, and have I heard that person\\'s own words?\\n'\n"
        "open(p, 'w', encoding='utf-8').write(t.replace('**Q:** How will I open the call?\\n',"
        " '**Q:** How will I open the call?\\nAsk about the board pack.\\n', 1))\n"
        "PY\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    result = acme("reflect", "Acme")
    assert "Saved 1 answer." in result.stdout
    assert "Ask about the board pack." in acme("worksheet", "Acme").stdout


def test_user_questions_file_adds_and_replaces(acme, write, monkeypatch):
    questions = write(
        "mine.toml",
        (
            'need = ["Which of our customers had the same problem?"]\n'
            "[objection]\nreplace = true\n"
            'questions = ["Is this a real no?", "Who else shares it?", "What proof?"]\n'
        ),
    )
    monkeypatch.setenv("FOCUSBLOCK_WORKSHEET_QUESTIONS_FILE", str(questions))
    markdown = acme("worksheet", "Acme").stdout
    assert "**Q:** Which of our customers had the same problem?" in markdown
    assert "**Q:** Is this a real no?" in markdown
    assert "What is the concern behind it" not in markdown


def test_remarks_with_answers_count_as_reflected(acme, tmp_path):
    calendar = str(EXAMPLES / "calendar.ics")
    before = json.loads(acme("plan", "--busy", calendar, "--json", "--dry-run").stdout)
    (block,) = before["blocks"]
    assert "5 new remarks" in block["reason"]
    markdown = acme("worksheet", "Acme").stdout
    path = tmp_path / "filled.md"
    path.write_text(
        _answer(markdown, "How will I open the call?", "With the close."), encoding="utf-8"
    )
    acme("reflect", "Acme", "--from", str(path))
    after = json.loads(acme("plan", "--busy", calendar, "--json", "--dry-run").stdout)
    assert after["blocks"] == []
    (left,) = after["left_out"]
    assert left["reason"] == "nothing new since 2026-10-05, no call booked"


def _chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


@pytest.mark.slow  # starts a browser
def test_html_worksheet_renders_in_headless_chromium(acme, tmp_path):
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must have Debian's chromium for the real-browser check")
        pytest.skip("no chromium on this machine; the real-browser check needs it")
    page = tmp_path / "acme.html"
    acme("worksheet", "Acme", "--format", "html", "--out", str(page))
    pdf = tmp_path / "chromium.pdf"
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    text = squash(pdf_text(data))
    assert squash(REMARKS[0][0]) in text
    assert "<script>alert('x')</script>" in text


@pytest.mark.slow  # typesets a PDF
def test_the_default_pdf_name_is_the_accounts_not_the_name_typed(run, tmp_path, monkeypatch):
    run("account", "add", "Kestrel Robotics", "--alias", "KRI")
    run("remark", "add", "Kestrel Robotics", "Parts never arrive on time.")
    monkeypatch.chdir(tmp_path)
    run("worksheet", "kri", "--format", "pdf")
    assert [p.name for p in tmp_path.glob("*.pdf")] == ["focus-kestrel-robotics.pdf"]


def test_a_file_we_cannot_write_is_one_line(run, tmp_path):
    run("account", "add", "Acme")
    target = tmp_path / "missing" / "folder" / "acme.md"
    result = run("worksheet", "Acme", "--out", str(target), code=8)
    assert result.stderr.strip().splitlines() == [f"Error: {target}: No such file or directory"]


def _answer_first_question(run, tmp_path, account: str) -> None:
    sheet = run("worksheet", account).stdout
    marker = "**Q:** "
    cut = sheet.index("\n", sheet.index(marker)) + 1
    path = tmp_path / "filled.md"
    path.write_text(sheet[:cut] + "Seen it.\n" + sheet[cut:], encoding="utf-8")
    run("reflect", account, "--from", str(path))


@pytest.mark.both_stores("paging with ordering and counts in SQL")
def test_a_big_worksheet_shows_the_unreflected_and_latest_and_counts_the_rest(run, tmp_path):
    run("account", "add", "Giant", "--need", "speed")
    rows = ["account,text,on"] + [
        f"Giant,Remark number {i:03d} about the close,2026-{1 + i // 28:02d}-{1 + i % 28:02d}"
        for i in range(130)
    ]
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run("remark", "import", str(tmp_path / "big.csv"))
    _answer_first_question(run, tmp_path, "Giant")  # remark 000, the oldest, is reflected on
    sheet = run("worksheet", "Giant").stdout
    assert sheet.count("\n### ") == 100
    assert "Remark number 129" in sheet and "Remark number 000" not in sheet
    assert "Not shown here: 30 more remarks" in sheet
    assert "(1 of them reflected on already)" in sheet
    assert "focusblock worksheet 'Giant' --all" in sheet
    every = run("worksheet", "Giant", "--all").stdout
    assert every.count("\n### ") == 130 and "Not shown" not in every


def test_a_small_worksheet_is_whole_and_says_nothing_is_left_out(example_store):
    sheet = example_store("worksheet", "Kestrel").stdout
    assert "Not shown" not in sheet


def test_the_plan_packet_is_bounded_too(run, tmp_path):
    run("account", "add", "Giant", "--need", "n", "--consequence", "c")
    rows = ["account,text,on"] + [
        f"Giant,Said thing {i:03d},2026-11-{1 + i % 20:02d}" for i in range(120)
    ]
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run("remark", "import", str(tmp_path / "big.csv"))
    out = tmp_path / "w" / "f.ics"
    data = json.loads(
        run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out), "--json").stdout
    )
    (block,) = data["blocks"]
    sheet = (out.parent / block["worksheet"].replace(".html", ".md")).read_text()
    assert sheet.count("\n### ") == 100 and "Not shown here: 20 more remarks" in sheet


# --- reflect keeps every line the user wrote --------------------------------------------


def _answered(markdown: str, question: str, answer: str) -> str:
    marker = f"**Q:** {question}\n"
    cut = markdown.index(marker) + len(marker)
    return markdown[:cut] + answer + "\n" + markdown[cut:]


QUESTION = "How will I open the call?"


def test_answer_lines_starting_with_hash_or_quote_are_kept(run, tmp_path):
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "Our close takes six days", "--on", "2026-11-20")
    sheet = run("worksheet", "Acme").stdout
    answer = "# 1 priority: the close\n> their words: six days\n#hashtag and > arrows"
    path = tmp_path / "filled.md"
    path.write_text(_answered(sheet, QUESTION, answer), encoding="utf-8")
    assert "Saved 1 answer" in run("reflect", "Acme", "--from", str(path)).stdout
    again = run("worksheet", "Acme").stdout
    for line in answer.splitlines():
        assert line in again.replace("\n> ✎", "\n").replace("  ", " ") or line in again


def test_an_editor_saving_latin1_keeps_the_file_and_says_where(run, tmp_path, monkeypatch):
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "Our close takes six days", "--on", "2026-11-20")
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[-1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        f"text = text.replace('**Q:** {QUESTION}\\n', '**Q:** {QUESTION}\\nCafé au lait\\n')\n"
        "open(path, 'w', encoding='latin-1', errors='replace').write(text)\n"
    )
    import sys

    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    result = run("reflect", "Acme", code=4)
    assert "UTF-8" in result.stderr
    kept = next(part for part in result.stderr.split() if part.endswith(".md"))
    assert "Café au lait".encode("latin-1") in Path(kept).read_bytes()


def test_a_worksheet_of_another_account_is_refused(run, tmp_path):
    for name in ("Acme", "Globex"):
        run("account", "add", name, "--need", "n")
        run("remark", "add", name, f"{name} said this", "--on", "2026-11-20")
    sheet = run("worksheet", "Acme").stdout
    path = tmp_path / "acme.md"
    path.write_text(_answered(sheet, QUESTION, "With the close."), encoding="utf-8")
    result = run("reflect", "Globex", "--from", str(path), code=4)
    assert "Acme" in result.stderr and "Globex" in result.stderr
    assert "With the close" not in run("worksheet", "Globex").stdout


# --- one definition of a stated need ------------------------------------------------------


def test_a_need_from_a_remark_is_stated_on_the_worksheet_too(run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "Month-end takes six days", "--lens", "need", "--on", "2026-09-14")
    sheet = run("worksheet", "Acme").stdout
    assert "not stated yet" not in sheet
    assert "from remark 1, 2026-09-14" in sheet


def test_a_worksheet_written_to_a_pipe_is_the_file_exactly(run, tmp_path):
    name = "Esc\x1b[2JCorp"
    run("account", "add", name)
    run("remark", "add", name, "clear \x1b[2J screen", "--on", "2026-11-20")
    piped = run("worksheet", name).stdout  # CliRunner's stdout is not a terminal
    out = tmp_path / "w.md"
    run("worksheet", name, "--out", str(out))
    assert piped == out.read_text(encoding="utf-8")


def test_a_two_line_answer_keeps_its_lines_in_the_next_markdown_worksheet(acme, tmp_path):
    """Issue 23: the store kept the line break, but the next worksheet printed the earlier
    answer as `>` lines a Markdown viewer joins into one; it is read back unchanged."""
    from markdown_it import MarkdownIt

    answer = "Manual journal entries.\nNobody owns the mappings.\n\nAsk about C:\\close"
    sheet = acme("worksheet", "Acme").stdout
    path = tmp_path / "filled.md"
    path.write_text(_answer(sheet, QUESTION, answer), encoding="utf-8")
    assert "Saved 1 answer." in acme("reflect", "Acme", "--from", str(path)).stdout

    next_sheet = acme("worksheet", "Acme").stdout
    html = MarkdownIt("commonmark").render(next_sheet)
    assert "Manual journal entries.<br />\nNobody owns the mappings.</p>" in html
    assert "<p>Ask about C:\\close</p>" in html  # the blank line stays a paragraph break
    # read back: the earlier answer is no new answer, and the store holds it unchanged
    path.write_text(next_sheet, encoding="utf-8")
    assert "Saved 0 answers." in acme("reflect", "Acme", "--from", str(path)).stdout
    stored = [r["answer"] for r in json.loads(acme("export").stdout)["reflections"]]
    assert stored == [answer]


@pytest.mark.slow  # a fresh interpreter, bounded in time
def test_a_long_earlier_answer_is_read_in_linear_time():
    """A worksheet whose earlier answer runs on for 300,000 '>' lines (13 MB): each line
    was added by copying the answer so far (quadratic: most of a minute)."""
    import subprocess
    import sys

    probe = """
from focusblock.worksheet.answers import read_worksheet
head = "# Focus: X\\n\\n## The account\\n\\n**Q:** What?\\n> \u270e 2026-01-01: a\\n"
(shown,) = read_worksheet(head + ("> " + "x" * 40 + "\\n") * 300_000).earlier
assert shown.text.count("\\n") == 300_000
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=20)
    assert done.returncode == 0, done.stderr
