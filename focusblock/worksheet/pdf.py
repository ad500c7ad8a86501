"""The printed worksheet as PDF, typeset by Typst from the same Worksheet objects as the HTML.

The content goes to the Typst template (templates/worksheet.typ) as one JSON document through
`sys.inputs`; the template decodes it and places every string as text. Customer text is
therefore never read as Typst markup, and there is no Typst escaping to get wrong.

Fonts: Typst's own fonts (Libertinus Serif: Latin, Greek, Cyrillic) set the page, so it looks
the same on every machine; a character they lack falls back to any font installed on the
system (an emoji or CJK font, say). A character that no font has is replaced by a visible
placeholder naming its code point, never left as an empty box.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from focusblock.worksheet.content import Question, Worksheet
from focusblock.worksheet.gaps import GAPS_TITLE, remark_ids
from focusblock.worksheet.people_section import PEOPLE_TITLE
from focusblock.worksheet.rendering import PacketEntry, _days, _when, packet_title
from focusblock.worksheet.week_grid import CALL_MARK, CoverGrid, grid_view

TEMPLATE = Path(__file__).parent / "templates" / "worksheet.typ"
FONTS = ("Libertinus Serif",)  # embedded in the typst wheel, so present everywhere
# A4 minus the margins set in the template: a remark box taller than the page body cannot
# fit on one page, so it is the one kind allowed to break.
PAGE_BODY_WIDTH_MM = 210 - 14 - 14
PAGE_BODY_HEIGHT_MM = 297 - 14 - 16

# Characters that are never drawn on their own (joiners, variation selectors): no font needs
# a glyph for them, so they are not checked.
_INVISIBLE = {"\u200d", "\u200c", *map(chr, range(0xFE00, 0xFE10))}

# Characters the fonts inside the typst wheel are known to draw (Latin-1, Latin Extended-A
# and -B, Greek, basic Cyrillic, general punctuation, currency signs, the template's marks):
# a worksheet whose text stays within them needs no probe. tests/test_pdf_speed.py asks
# Typst that every one has a glyph, with the system's fonts left out.
_COVERED_RANGES = (
    (0x00A0, 0x00FF),
    (0x0100, 0x024F),
    (0x0384, 0x038A),
    (0x038C, 0x038C),
    (0x038E, 0x03A1),
    (0x03A3, 0x03CE),
    (0x0400, 0x045F),
    (0x2010, 0x2027),
    (0x2030, 0x203E),
    (0x20A0, 0x20C0),
)
COVERED = frozenset(
    {chr(code) for first, last in _COVERED_RANGES for code in range(first, last + 1)}
    | {"✎", "·", CALL_MARK}
)

# Asks Typst, for each character, whether any font it can use (with fallback) has a glyph:
# a missing glyph is drawn as the first font's .notdef box, so it measures exactly like a
# code point no font has (a private-use one at the end of Unicode).
_PROBE = """
#let chars = json(bytes(sys.inputs.chars))
#set text(font: json(bytes(sys.inputs.fonts)), top-edge: "bounds", bottom-edge: "bounds")
#context {
  let size(c) = { let m = measure(text(c)); (m.width, m.height) }
  let nothing = size("\\u{10FFFD}")
  [#metadata(chars.filter(c => size(c) == nothing)) <missing>]
}
"""


def render_pdf(
    worksheets: list[Worksheet],
    zone: tzinfo,
    title: str | None = None,
    blocks: tuple[PacketEntry, ...] = (),
    *,
    grid: CoverGrid | None = None,
    system_fonts: bool = True,
    font_dirs: tuple[Path, ...] = (),
) -> bytes:
    """One account's worksheet, or a week's packet (a cover with the week's grid and table,
    then one page group each), as PDF bytes. Fonts in `font_dirs` join those inside the
    typst wheel and, unless `system_fonts` is False, those installed on the system."""
    view = _view(worksheets, zone, title, blocks, grid)
    fonts = (system_fonts, tuple(str(path) for path in font_dirs))
    # only characters outside what the bundled fonts are known to draw need the probe
    uncovered = frozenset(_characters(view) - COVERED)
    missing = _missing_glyphs(uncovered, fonts) if uncovered else frozenset()
    data = json.dumps(view, ensure_ascii=False)
    if missing:
        # a missing character is never ASCII, so in this JSON it stands as itself inside a
        # string value, never escaped and never in a key: replacing it in the text is
        # replacing it in every string of the view, and the placeholder is plain ASCII
        data = _replace_missing(data, missing)
    compiler = _compiler(fonts)
    pdf = compiler.compile(format="pdf", sys_inputs={"data": data})
    assert isinstance(pdf, bytes)
    return pdf


def placeholder(char: str) -> str:
    """What stands in for a character no font has: its code point and, where Unicode gives
    one, its name, e.g. "[U+1F642 slightly smiling face]"."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if not name or name.endswith(code[2:]):  # CJK ideographs are named by their code point
        return f"[{code}]"
    return f"[{code} {name.lower()}]"


def _view(
    worksheets: list[Worksheet],
    zone: tzinfo,
    title: str | None,
    blocks: tuple[PacketEntry, ...],
    grid: CoverGrid | None = None,
) -> dict[str, Any]:
    """The template's input: the worksheets as plain strings, formatted as the HTML has them."""
    return {
        "title": packet_title(worksheets, title),
        "fonts": list(FONTS),
        "page-body-width": PAGE_BODY_WIDTH_MM,
        "page-body-height": PAGE_BODY_HEIGHT_MM,
        # the marks the template puts between values: checked for glyphs like the rest
        "marks": {"earlier": "✎", "between": "·", "call": CALL_MARK},
        "blocks": [{"when": b.when, "account": b.account, "reason": b.reason} for b in blocks],
        "grid": grid_view(grid),
        "worksheets": [_worksheet(ws, zone) for ws in worksheets],
    }


def _worksheet(ws: Worksheet, zone: tzinfo) -> dict[str, Any]:
    """The values the template shows; its words (labels, defaults) are in the template."""
    return {
        "account": ws.account,
        "stage": ws.stage,
        "next-call": _when(ws.next_call, zone),
        "need": ws.need,
        "consequence": ws.consequence,
        "decision-date": ws.decision_date.isoformat() if ws.decision_date else None,
        "days-to-decision": _days(ws.days_to_decision),
        "notes": list(ws.notes),
        "lead-lenses": list(ws.lead_lenses),
        "remarks": [
            {
                "number": r.number,  # the remark's store id
                "heard-on": r.remark.heard_on.isoformat(),
                "who": r.remark.who,
                "via": r.remark.via,
                "source": r.remark.source,  # where an imported remark was said: "call.vtt 07:05"
                "lens": r.remark.lens,
                "text": r.remark.text,
                "suggested-lens": r.suggested_lens,
                "questions": _questions(r.questions),
            }
            for r in ws.remarks
        ],
        "sections": [{"title": s.title, "questions": _questions(s.questions)} for s in ws.sections],
        "deal": _deal(ws),
    }


def _deal(ws: Worksheet) -> dict[str, Any]:
    """The People and Gaps sections: each person's or gap's line, then its questions."""
    deal = ws.deal
    people = [
        {
            "line": " · ".join(
                part
                for part in (
                    p.name,
                    p.role,
                    p.email,
                    f"in {remark_ids(p.remarks)}" if p.remarks else "not heard yet",
                )
                if part
            ),
            "questions": _questions(p.questions),
        }
        for p in deal.people
    ]
    gaps = [
        {"line": f"{g.label}: {g.status}", "questions": _questions(g.questions)} for g in deal.gaps
    ]
    return {
        "people-title": PEOPLE_TITLE,
        "gaps-title": GAPS_TITLE,
        "budget-flag": deal.budget_flag,
        "people": people,
        "gaps": gaps,
    }


def _questions(questions: Iterable[Question]) -> list[dict[str, Any]]:
    return [
        {
            "text": q.text if q.asked else f"{q.text} (answered before, no longer asked)",
            "asked": q.asked,
            "earlier": [
                {
                    "on": a.written_on.isoformat()
                    + (", about earlier words" if a.about_earlier_words else ""),
                    "text": a.text,
                }
                for a in q.earlier
            ],
        }
        for q in questions
    ]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _characters(view: dict[str, Any]) -> set[str]:
    """Every character that needs a glyph. ASCII is left out: every text font has it."""
    chars: set[str] = set()
    for text in _strings(view):
        chars.update(text)
    return {c for c in chars if ord(c) > 0x7E and not c.isspace() and c not in _INVISIBLE}


_Fonts = tuple[bool, tuple[str, ...]]  # (system fonts too?, extra font folders)


@lru_cache(maxsize=64)
def _missing_glyphs(chars: frozenset[str], fonts: _Fonts) -> frozenset[str]:
    if not chars:
        return frozenset()
    import typst

    system_fonts, font_dirs = fonts
    # the stub ties `input` and `font_paths` to one type variable, though bytes source and
    # folder names are what the function takes
    found = typst.query(  # type: ignore[misc]
        _PROBE.encode(),
        "<missing>",
        field="value",
        one=True,
        font_paths=list(font_dirs),
        ignore_system_fonts=not system_fonts,
        sys_inputs={
            "chars": json.dumps(sorted(chars), ensure_ascii=False),
            "fonts": json.dumps(list(FONTS)),
        },
    )
    return frozenset(json.loads(found))


def _replace_missing(text: str, missing: frozenset[str]) -> str:
    """`text` with each missing character as its placeholder; the joiners and variation
    selectors right after a replaced character (a replaced emoji's) are dropped with it."""
    chars = "".join(re.escape(char) for char in sorted(missing))
    invisible = "".join(re.escape(char) for char in sorted(_INVISIBLE))
    pattern = re.compile(f"([{chars}])[{invisible}]*")
    return pattern.sub(lambda match: placeholder(match.group(1)), text)


@lru_cache(maxsize=4)
def _compiler(fonts: _Fonts) -> Any:
    """One compiler per font set and process: it keeps the parsed template and the fonts it
    found between documents (a plan's packet, a bench's runs)."""
    import typst

    system_fonts, font_dirs = fonts
    return typst.Compiler(
        TEMPLATE,
        root=TEMPLATE.parent,
        font_paths=[Path(folder) for folder in font_dirs],
        ignore_system_fonts=not system_fonts,
    )
