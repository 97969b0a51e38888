"""PDF rendering with Kazakh letters and the issue-once rule of issued documents."""

from __future__ import annotations

import hashlib
import io
import subprocess

import pytest
from pypdf import PdfReader

from housing_aid import pdf

KAZAKH = "ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class _Case:
    number = "HA-710000000-2025-00001"
    provider = None


def test_kazakh_letters_render_and_extract(provider):
    case = _Case()
    case.provider = provider
    content = pdf.render_pdf(
        "kernel/pdf_sample.html",
        {
            "text": f"Өтініш беруші: Әбенов Нұрлан Қайратұлы. {KAZAKH}",
            "case": case,
            "document": {"number": "D-1"},
        },
        language="kk",
    )

    text = _text(content)
    assert content.startswith(b"%PDF-")
    for letter in KAZAKH.split():
        assert letter in text
    assert "Әбенов Нұрлан Қайратұлы" in text
    assert provider.name_kk.split()[0].strip("«") in text


def test_the_font_embedded_has_kazakh_glyphs(provider):
    case = _Case()
    case.provider = provider
    content = pdf.render_pdf("kernel/pdf_sample.html", {"text": KAZAKH, "case": case, "document": {}}, "ru")
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in name for name in fonts), fonts


def test_rendered_pages_convert_to_png(provider, tmp_path):
    case = _Case()
    case.provider = provider
    content = pdf.render_pdf("kernel/pdf_sample.html", {"text": KAZAKH, "case": case, "document": {}}, "kk")
    (tmp_path / "doc.pdf").write_bytes(content)

    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True
    )  # noqa: S603,S607

    assert list(tmp_path.glob("page*.png"))


def test_qr_is_an_svg_data_uri():
    uri = pdf.qr_data_uri("http://127.0.0.1:8000/verify/abc/")
    assert uri.startswith("data:image/svg+xml;base64,")


@pytest.fixture
def sha():
    return lambda b: hashlib.sha256(b).hexdigest()
