"""CSV exports that a spreadsheet opens as they are: the reader's language, ``;`` between
fields (Excel's list separator in the ru and kk locales) and a UTF-8 byte-order mark (so
Excel reads Cyrillic and the Kazakh letters as UTF-8, not as the ANSI code page)."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from django.utils import translation

DELIMITER = ";"
BOM = "\ufeff"


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Stream ``rows`` (the first one the header) as a download.

    The rows are produced while the response streams, after the view has returned: the
    request's language is captured now so lazy labels render in it, not in the default."""
    language = translation.get_language()
    writer = csv.writer(_Echo(), delimiter=DELIMITER)

    def stream():
        yield BOM
        with translation.override(language):
            for row in rows:
                yield writer.writerow([str(value) if value is not None else "" for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = language or ""
    return response
