"""The PDF route focusblock had before Typst, for bench/run: WeasyPrint typesetting the
HTML worksheet that `focusblock worksheet ACCOUNT --format html` writes.

python bench/weasyprint_pdf.py IN.html OUT.pdf

Needs `pip install weasyprint` (and Pango from the system); bench/run skips the
comparison when it cannot be imported.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    from weasyprint import HTML

    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    HTML(filename=str(source)).write_pdf(str(target))


if __name__ == "__main__":
    main()
