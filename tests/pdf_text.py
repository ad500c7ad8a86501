"""Reading back the PDFs we write: their text and the characters their embedded fonts cover."""

from __future__ import annotations

import io
import re
from pathlib import Path


def pdf_text(data: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def embedded_codepoints(data: bytes) -> tuple[set[int], bool]:
    """Code points drawn with a real glyph of an embedded font, and whether every font is
    embedded. Read from each font's ToUnicode map (Typst embeds bare CFF subsets, which carry
    no cmap of their own); glyph 0 is .notdef, the empty box, so it covers nothing."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    covered: set[int] = set()
    all_embedded = True
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            else:
                descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type3":
                pass  # drawn by the PDF itself (Typst's colour emoji): nothing to embed
            elif descriptor is None or not any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                all_embedded = False
            if "/ToUnicode" in font:
                cmap = font["/ToUnicode"].get_object().get_data().decode()
                # in a Type3 font (drawn by the PDF) code 0 is a glyph like any other
                covered.update(_to_unicode(cmap, skip_zero=font.get("/Subtype") == "/Type0"))
    return covered, all_embedded


def _to_unicode(cmap: str, skip_zero: bool) -> set[int]:
    """The code points of a ToUnicode CMap's bfchar and bfrange entries (glyph 0, .notdef in
    a CID font, left out when `skip_zero`)."""
    points: set[int] = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            if int(glyph, 16) or not skip_zero:
                points.update(ord(ch) for ch in bytes.fromhex(text).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, text in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = ord(bytes.fromhex(text).decode("utf-16-be")[0])
            for offset, glyph in enumerate(range(int(first, 16), int(last, 16) + 1)):
                if glyph or not skip_zero:
                    points.add(start + offset)
    return points


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
