"""Template -> PDF bytes with WeasyPrint, one shared FontConfiguration.

Templates extend ``pdf/base.html``, which sets DejaVu Sans (Cyrillic and every
Kazakh letter: ә ғ қ ң ө ұ ү һ і).
"""

from __future__ import annotations

import base64
import functools

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def qr_data_uri(text: str) -> str:
    """A QR code as an inline SVG data URI (no network, no files)."""
    svg = segno.make(text, error="m").svg_inline(scale=3, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def render_html(template_name: str, context: dict, language: str) -> str:
    # pdf/base.html prints one page set per copy: one unlabeled copy unless told otherwise.
    document = {"copies": [""], **(context.get("document") or {})}
    with translation.override(language):
        return render_to_string(template_name, {**context, "document": document, "LANGUAGE_CODE": language})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_font_config())


def render_pdf(template_name: str, context: dict, language: str = "ru") -> bytes:
    return html_to_pdf(render_html(template_name, context, language))
