"""Text from users and files made visible: control and bidi characters shown as escapes.

One rule for every output that shows user text as text: the terminal (cli/output.py) and
the worksheet files a seller opens in a terminal or an editor (Markdown, HTML). A remark
holding ESC [2J would otherwise clear the screen of whoever runs `cat` on the file.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that reorder or hide text; shown as escapes like the C0/C1 controls.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# What shown() changes: the C0/C1 controls (category Cc) except newline and tab, and _BIDI.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")


def shown(text: object) -> str:
    """`text` with control and bidi characters made visible (`\\x1b`, `\\u202e`)."""
    value = str(text)
    if not _UNSAFE.search(value):
        return value  # the common case, without a Python loop over every character
    out = []
    for ch in value:
        if ch in "\n\t":
            out.append(ch)
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
