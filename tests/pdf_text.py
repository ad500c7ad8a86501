"""Reading back the PDFs we write: their text and the characters their embedded fonts cover."""

from __future__ import annotations

import io
from pathlib import Path


def pdf_text(data: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def embedded_codepoints(data: bytes) -> tuple[set[int], bool]:
    """Code points the embedded fonts map, and whether every font is embedded."""
    import pypdf
    from fontTools.ttLib import TTFont

    reader = pypdf.PdfReader(io.BytesIO(data))
    covered: set[int] = set()
    all_embedded = True
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            else:
                descriptor = font["/FontDescriptor"]
            keys = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
            if not keys:
                all_embedded = False
                continue
            program = descriptor[keys[0]].get_object().get_data()
            cmap = TTFont(io.BytesIO(program)).getBestCmap() or {}
            covered.update(cmap)
    return covered, all_embedded


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
