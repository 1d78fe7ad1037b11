"""Reading the text of a generated PDF in tests, with poppler's pdftotext (a test dependency
installed by scripts/system-deps.sh)."""

from __future__ import annotations

import shutil
import subprocess

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The text of the PDF; `layout` keeps the columns of tables side by side."""
    command = [PDFTOTEXT, *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(command, input=content, capture_output=True, check=True).stdout.decode()
