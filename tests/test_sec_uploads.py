"""Uploads are parsed, not sniffed (issue 10): pypdf and Pillow decide, within limits."""

from __future__ import annotations

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, StreamObject, TextStringObject

from housing_aid.uploads import stored_name, validate_upload


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _pdf(build=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(content: bytes, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _png(size=(10, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("1", size).save(out, format="PNG")
    return out.getvalue()


def test_a_clean_pdf_and_a_png_are_accepted():
    assert validate_upload(_upload(_pdf())) == "application/pdf"
    assert validate_upload(_upload(_png(), "photo.png")) == "image/png"


def test_pdf_magic_followed_by_an_executable_is_refused():
    content = b"%PDF-1.7\n" + b"MZ\x90\x00" + b"\x00" * 4000 + b"This program cannot be run in DOS mode"

    with pytest.raises(ValidationError, match="not a readable PDF"):
        validate_upload(_upload(content, "setup.exe"))


def test_a_pdf_with_javascript_is_refused():
    def script(writer):
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    content = _pdf(script)

    with pytest.raises(ValidationError, match="scripts"):
        validate_upload(_upload(content))


def test_a_pdf_with_an_embedded_file_is_refused():
    content = _pdf(lambda w: w.add_attachment("setup.exe", b"MZ" + b"\x00" * 100))

    with pytest.raises(ValidationError, match="embedded"):
        validate_upload(_upload(content))


def test_a_small_pdf_holding_a_100_mb_stream_is_refused():
    def bomb(writer):
        stream = StreamObject()
        stream._data = zlib.compress(b"\x00" * 100_000_000, 9)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)

    content = _pdf(bomb)
    assert len(content) < 150_000

    with pytest.raises(ValidationError, match="unpacks"):
        validate_upload(_upload(content))


def test_a_pdf_with_ordinary_content_streams_is_accepted():
    def text(writer):
        stream = DecodedStreamObject()
        stream.set_data(b"BT /F1 12 Tf 10 10 Td (hello) Tj ET")
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream.flate_encode())

    assert validate_upload(_upload(_pdf(text))) == "application/pdf"


def test_an_image_over_the_pixel_limit_or_truncated_is_refused(settings):
    settings.ATTACHMENT_MAX_PIXELS = 10_000

    with pytest.raises(ValidationError, match="pixels"):
        validate_upload(_upload(_png((200, 200)), "big.png"))
    with pytest.raises(ValidationError, match="readable image"):
        validate_upload(_upload(_png()[:40], "cut.png"))


def test_the_stored_name_takes_the_extension_of_the_content():
    assert stored_name("setup.exe", "application/pdf") == "setup.pdf"
    assert stored_name("../../etc/passwd", "image/png") == "passwd.png"
    assert stored_name("", "image/jpeg") == "attachment.jpg"
