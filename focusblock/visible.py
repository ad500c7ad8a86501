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

# Characters that print as nothing: "Ac\u200bme" looks exactly like "Acme". The soft
# hyphen, the zero-width space, non-joiner and joiner, the word joiner and its invisible
# operators, the Mongolian vowel separator and the zero-width no-break space (a BOM).
_ZERO_WIDTH = set("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")

# What no name may hold (names.py folds them away when matching names).
INVISIBLE = frozenset(_BIDI | _ZERO_WIDTH)

# What shown() changes: the C0/C1 controls (category Cc) except newline and tab, and
# INVISIBLE.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(INVISIBLE)) + "]")


def shown(text: object) -> str:
    """`text` with control, bidi and zero-width characters made visible (`\\x1b`,
    `\\u202e`, `\\u200b`)."""
    value = str(text)
    if not _UNSAFE.search(value):
        return value  # the common case, without a Python loop over every character
    out = []
    for ch in value:
        if ch in "\n\t":
            out.append(ch)
        elif ch in INVISIBLE or unicodedata.category(ch) == "Cc":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def first_invisible(text: str) -> str | None:
    """The first character of `text` that prints as nothing or reorders what follows, as
    a user can read it in a message (`<U+200B> (ZERO WIDTH SPACE)`); None if there is none."""
    for ch in text:
        if ch in INVISIBLE:
            return f"<U+{ord(ch):04X}> ({unicodedata.name(ch, 'unnamed')})"
    return None
