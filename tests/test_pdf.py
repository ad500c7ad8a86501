"""The PDF worksheet typeset by Typst: text verbatim, every script drawn or named, boxes whole.

These build Worksheet objects with the real content builder and typeset them with the real
Typst; the PDF is read back with pypdf, page by page.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusblock.model import Remark
from focusblock.store.views import ReflectionView
from focusblock.worksheet.content import build_worksheet
from focusblock.worksheet.pdf import placeholder, render_pdf
from focusblock.worksheet.question_bank import packaged_bank
from focusblock.worksheet.rendering import PacketEntry
from tests.pdf_text import embedded_codepoints, pdf_text

pytestmark = pytest.mark.slow  # typesets PDFs

ZONE = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 25)

# Typst markup, HTML and the JSON/Python string escapes: all must print as themselves
SPECIALS = [
    "#set page(width: 1pt)",
    "$x$ and $$",
    "*bold* and _x_",
    "a ` backtick and ```raw```",
    "@label <label>",
    "<script>alert(1)</script>",
    "back\\slash \\n \\u{41}",
    "// comment and /* block */",
    "= heading",
    "] closing [ opening #[ ]",
    '#{"code"} #let x = 1 ~ -- --- ... \\',
    "\"quotes\" & 'apostrophes'",
]
LATIN = "Ærøskøbing façade, naïve Zürich café, Łódź, ŠKODA, São Paulo, İstanbul"
GREEK = "Ωμέγα Αθήνα, καλημέρα"
CYRILLIC = "Привет, Москва; ёжик, Україна"
CJK = "中文 日本語"
EMOJI = "🙂 thumbs 👍"


def sheet(texts, account="Acme", reflections=()):
    remarks = [
        Remark(
            id=index + 1,
            account=account,
            text=text,
            who="Ann" if index % 2 else None,
            heard_on=date(2026, 1, 1) + timedelta(days=index),
            via="call",
            lens="need" if index % 3 == 0 else None,
            source=None,
            repeat=0,
            deleted_at=None,
        )
        for index, text in enumerate(texts)
    ]
    return build_worksheet(
        account,
        "pending",
        "Faster close",
        None,
        date(2027, 1, 15),
        datetime(2026, 12, 3, 10, tzinfo=UTC),
        remarks,
        list(reflections),
        packaged_bank(),
        TODAY,
        lead_lenses=("cost",),
        notes=("3 new remarks since 2026-11-01",),
    )


def squash(text: str) -> str:
    return " ".join(text.split())


def pages(data: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return [squash(page.extract_text() or "") for page in reader.pages]


def test_typst_and_html_specials_come_out_verbatim():
    data = render_pdf([sheet(SPECIALS)], ZONE)
    text = squash(pdf_text(data))
    for special in SPECIALS:
        assert squash(special) in text, special
    # the markup did nothing: the page kept its A4 width (a 1pt page would be 1pt wide)
    import pypdf

    width = float(pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox.width)
    assert abs(width - 595.3) < 1


def test_blank_lines_and_indentation_of_a_remark_are_kept():
    text = "Notes:\n\n    indented line\n- last"
    data = render_pdf([sheet([text])], ZONE)
    lines = pdf_text(data).splitlines()
    assert "Notes:" in lines and "- last" in lines
    # runs of spaces are kept as no-break spaces, so the indentation shows on paper
    assert "    indented line" in [line.replace("\xa0", " ") for line in lines]


def test_latin_greek_cyrillic_have_glyphs_in_the_embedded_fonts():
    data = render_pdf([sheet([LATIN, GREEK, CYRILLIC])], ZONE, system_fonts=False)
    text = squash(pdf_text(data))
    for remark in (LATIN, GREEK, CYRILLIC):
        assert remark in text
    covered, all_embedded = embedded_codepoints(data)
    assert all_embedded, "every font is embedded"
    letters = {ch for ch in LATIN + GREEK + CYRILLIC if ch.isalpha()}
    assert not sorted(ch for ch in letters if ord(ch) not in covered)


def test_characters_no_font_has_become_visible_placeholders():
    # only the fonts inside the typst wheel: no emoji, no CJK
    data = render_pdf(
        [sheet([f"{EMOJI} and {CJK}", "👍🏽 with a skin tone"])], ZONE, system_fonts=False
    )
    text = squash(pdf_text(data))
    assert "[U+1F642 slightly smiling face] thumbs [U+1F44D thumbs up sign]" in text
    glued = text.replace(" ", "")  # a line may break between two placeholders
    assert "and[U+4E2D][U+6587][U+65E5][U+672C][U+8A9E]" in glued
    assert "[U+1F44Dthumbsupsign][U+1F3FDemojimodifierfitzpatricktype-4]withaskintone" in glued
    covered, _ = embedded_codepoints(data)
    assert 0x1F642 not in covered and 0x4E2D not in covered


def emoji_font_dirs() -> tuple[Path, ...]:
    """An extra font folder for the emoji check (FOCUSBLOCK_TEST_FONT_DIR), if one is given."""
    folder = os.environ.get("FOCUSBLOCK_TEST_FONT_DIR")
    return (Path(folder),) if folder else ()


def test_with_system_fonts_each_emoji_is_drawn_or_named():
    # on a machine with an emoji font (CI installs Noto Color Emoji) the emoji are drawn;
    # on one with only Python they are named: either way, never an empty box
    data = render_pdf([sheet([EMOJI, CJK])], ZONE, font_dirs=emoji_font_dirs())
    text = squash(pdf_text(data))
    covered, all_embedded = embedded_codepoints(data)
    assert all_embedded
    for ch in "🙂👍中文日本語":
        # drawn from a system font that has it, or named; never an empty box
        assert (ch in text and ord(ch) in covered) or placeholder(ch) in text, ch
    import typst

    if "Noto Color Emoji" in typst.Fonts(font_paths=list(emoji_font_dirs())).families():
        assert "🙂 thumbs 👍" in text and {0x1F642, 0x1F44D} <= covered


def test_placeholder_names_the_character():
    assert placeholder("🙂") == "[U+1F642 slightly smiling face]"
    assert placeholder("中") == "[U+4E2D]"
    assert placeholder("\U000e0001") == "[U+E0001 language tag]"


def test_every_remark_box_stays_on_one_page():
    # remarks of many lengths, so that boxes meet page ends at every height
    texts = [
        f"Remark R{index:03d}. " + "Their close is slow. " * (index * 7 % 40) for index in range(60)
    ]
    worksheet = sheet(texts)
    data = render_pdf([worksheet], ZONE)
    page_texts = pages(data)
    assert len(page_texts) > 8  # many page ends, met at many box heights
    for item in worksheet.remarks:
        meta = f"Remark {item.number} · {item.remark.heard_on.isoformat()}"
        holding = [
            i for i, page in enumerate(page_texts) if f"Remark R{item.number - 1:03d}." in page
        ]
        assert len(holding) == 1, f"remark {item.number} is on pages {holding}"
        page = page_texts[holding[0]]
        # the whole box is on that page: its heading, its text, and all its questions after it
        assert meta in page and squash(item.remark.text) in page
        after = page[page.index(squash(item.remark.text)) :]
        following = (
            f"Remark {item.number + 1} · {(item.remark.heard_on + timedelta(days=1)).isoformat()}"
        )
        box = after[: after.index(following)] if following in after else after
        for question in item.questions:
            assert question.text in box, (item.number, question.text)


def test_a_remark_longer_than_a_page_breaks_instead_of_being_cut():
    lines = [f"line {index:03d} of a very long remark" for index in range(120)]
    data = render_pdf([sheet(["short one", "\n".join(lines), "after it"])], ZONE)
    text = squash(pdf_text(data))
    for line in lines:
        assert line in text  # nothing ran off the bottom of a page
    page_texts = pages(data)
    first = next(i for i, p in enumerate(page_texts) if "line 000" in p)
    last = next(i for i, p in enumerate(page_texts) if "line 119" in p)
    assert last > first


def test_packet_has_a_cover_table_then_each_account_on_its_own_pages():
    blocks = (
        PacketEntry("Mon 30 Nov 09:00", "Acme", "5 new remarks; call Thursday"),
        PacketEntry("Tue 01 Dec 14:00", "Kestrel", "decision in 20 days"),
    )
    data = render_pdf(
        [sheet(["a remark"]), sheet(["another"], account="Kestrel")],
        ZONE,
        title="Focus worksheets, 2026-W49",
        blocks=blocks,
    )
    page_texts = pages(data)
    cover = page_texts[0]
    assert cover.startswith("Focus worksheets, 2026-W49")
    assert "When Customer Why" in cover
    assert "Mon 30 Nov 09:00 Acme 5 new remarks; call Thursday" in cover
    assert "Tue 01 Dec 14:00 Kestrel decision in 20 days" in cover
    assert "Focus: " not in cover
    starts = [i for i, page in enumerate(page_texts) if page.startswith("Focus: ")]
    assert [page_texts[i].split(" One customer")[0] for i in starts] == [
        "Focus: Acme",
        "Focus: Kestrel",
    ]
    assert starts[0] == 1 and starts[1] > starts[0]


def test_facts_notes_earlier_answers_and_account_sections_are_printed():
    question = "What is the problem in their own words, and what is its root cause?"
    earlier = ReflectionView(1, question, "Manual entries.\nNobody owns it.", date(2026, 11, 20))
    text = squash(
        pdf_text(render_pdf([sheet(["Close takes six days."], reflections=[earlier])], ZONE))
    )
    for fact in (
        "Stage pending",
        "Next call Thu 03 Dec 2026, 11:00",
        "Their need Faster close",
        "Cost of doing nothing not known yet",
        "Decision date 2027-01-15 (in 51 days)",
        "3 new remarks since 2026-11-01",
        "Start with what is missing: cost.",
        "What they said (1 remark, oldest first)",
        "Remark 1 · 2026-01-01 · call · lens: need",
        f"{question} ✎ 2026-11-20: Manual entries. Nobody owns it.",
    ):
        assert fact in text, fact
    for title in (
        "What they need",
        "Cost of doing nothing",
        "Value we could create",
        "Questions to ask on the next call",
    ):
        assert title in text


def test_the_same_content_gives_the_same_bytes():
    # no creation date or other clock in the file: a re-run of `plan` does not change it
    worksheets = [sheet(["one", "two"])]
    assert render_pdf(worksheets, ZONE) == render_pdf(worksheets, ZONE)


def test_a_worksheet_with_no_remarks_still_has_its_sections():
    text = squash(pdf_text(render_pdf([sheet([])], ZONE)))
    assert "What they said (0 remarks, oldest first) What they need" in text
