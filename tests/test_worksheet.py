"""The worksheet in Markdown, HTML and PDF, and answers coming back through `reflect`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

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
        assert section.count("**Q:**") >= 3
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
    assert "> ✎ 2026-11-25: Manual journal entries. Nobody owns the mappings." in next_sheet
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
