"""PDF rendering: Django templates (HTML and CSS) turned into PDF by WeasyPrint.

The DejaVu fonts ship with the project, so a document looks the same on every machine and
every Cyrillic glyph, `№` and `₽` included, is embedded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


def font_face_css() -> str:
    regular = (FONTS_DIR / "DejaVuSans.ttf").as_uri()
    bold = (FONTS_DIR / "DejaVuSans-Bold.ttf").as_uri()
    return (
        f"@font-face {{ font-family: 'DD Sans'; src: url('{regular}'); font-weight: normal; }}\n"
        f"@font-face {{ font-family: 'DD Sans'; src: url('{bold}'); font-weight: bold; }}\n"
    )


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported on use: it loads native libraries at import

    html = render_to_string(template_name, {**context, "font_face_css": font_face_css()})
    document = HTML(string=html, base_url=str(FONTS_DIR)).render()
    pdf: bytes = document.write_pdf()
    return pdf
