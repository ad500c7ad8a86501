"""The PDF route's shortcuts change nothing on the page.

The glyph probe (a second Typst run) is skipped for characters the fonts inside the typst
wheel are known to draw; these ask real Typst that each of them has a glyph, and check that a
worksheet within them is typeset without a probe, and one beyond them still gets one.
"""

from __future__ import annotations

import json

import pytest

from focusblock.worksheet import pdf
from focusblock.worksheet.pdf import COVERED, placeholder, render_pdf
from tests.pdf_text import embedded_codepoints, pdf_text
from tests.test_pdf import LATIN, ZONE, sheet, squash

pytestmark = pytest.mark.slow  # typesets PDFs


def test_every_character_counted_as_covered_has_a_glyph_in_the_bundled_fonts():
    checked = frozenset(c for c in COVERED if not c.isspace() and c not in pdf._INVISIBLE)
    assert len(checked) > 600
    assert pdf._missing_glyphs(checked, (False, ())) == frozenset()
    # and the probe does find what they lack, so the check above could fail
    assert pdf._missing_glyphs(frozenset("中\U0001f642"), (False, ())) == frozenset("中\U0001f642")


def test_a_worksheet_within_the_covered_characters_needs_no_probe():
    pdf._missing_glyphs.cache_clear()
    data = render_pdf([sheet([LATIN, "“quoted” \u2013 dash … € 5 · ✎"])], ZONE, system_fonts=False)
    assert pdf._missing_glyphs.cache_info().currsize == 0  # never asked
    text = squash(pdf_text(data))
    assert LATIN in text and "“quoted” \u2013 dash … € 5" in text
    covered, all_embedded = embedded_codepoints(data)
    assert all_embedded
    assert all(ord(c) in covered for c in LATIN if c.isalpha())


def test_a_worksheet_beyond_them_is_still_probed_and_named():
    pdf._missing_glyphs.cache_clear()
    data = render_pdf([sheet(["naïve 中 and 🙂\u200d!"])], ZONE, system_fonts=False)
    info = pdf._missing_glyphs.cache_info()
    assert info.currsize == 1
    glued = squash(pdf_text(data)).replace(" ", "")
    assert "naïve[U+4E2D]and[U+1F642slightlysmilingface]!" in glued


def test_placeholders_replace_missing_characters_and_the_joiners_after_them():
    missing = frozenset("中\U0001f642")
    view = {"a": ["x中y", "\U0001f642\u200d\ufe0f\U0001f642z", "\u200d中"], "b": "plain"}
    data = pdf._replace_missing(json.dumps(view, ensure_ascii=False), missing)
    smile = placeholder("\U0001f642")
    assert json.loads(data) == {
        "a": [f"x{placeholder('中')}y", f"{smile}{smile}z", f"\u200d{placeholder('中')}"],
        "b": "plain",
    }
