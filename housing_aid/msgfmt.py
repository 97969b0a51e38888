"""Compile gettext catalogues (.po -> .mo) in pure Python, without GNU gettext.

The wheel build (setup.py) and the release step (manage.py release, the Procfile) call it, so that
``pip install .`` and a deploy answer in Russian and Kazakh with no extra command (issue 10).
``python -m housing_aid.msgfmt [ROOT]`` compiles every ``locale/*/LC_MESSAGES/*.po`` under ROOT.
Follows CPython's Tools/i18n/msgfmt.py: contexts, plurals; fuzzy entries are left out.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

SKIP_DIRS = {".venv", "node_modules", ".git", "build", "dist", "staticfiles"}


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(text: str) -> dict[bytes, bytes]:
    """The catalogue's messages: key (``ctxt\\x04id`` or ``id\\x00plural``) -> translation.

    Fuzzy and untranslated entries are left out; the header (``msgid ""``) always stays.
    """
    messages: dict[bytes, bytes] = {}
    entry: dict = {}
    section = None
    fuzzy = False

    def flush():
        nonlocal entry, fuzzy, section
        if "msgid" in entry and (not fuzzy or entry["msgid"] == ""):
            key = entry["msgid"]
            if "msgid_plural" in entry:
                key += "\x00" + entry["msgid_plural"]
                plural = entry.get("msgstr_plural", {})
                value = "\x00".join(plural[i] for i in sorted(plural))
            else:
                value = entry.get("msgstr", "")
            if "msgctxt" in entry:
                key = entry["msgctxt"] + "\x04" + key
            if value.replace("\x00", ""):
                messages[key.encode()] = value.encode()
        entry, fuzzy, section = {}, False, None

    def complete() -> bool:
        return "msgstr" in entry or "msgstr_plural" in entry

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if complete():
                flush()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and complete():
            flush()
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            section = keyword
            entry[section] = _unquote(rest.strip())
        elif keyword.startswith("msgstr["):
            section = int(keyword[7:-1])
            entry.setdefault("msgstr_plural", {})[section] = _unquote(rest.strip())
        elif line.startswith('"') and section is not None:
            if isinstance(section, int):
                entry["msgstr_plural"][section] += _unquote(line)
            else:
                entry[section] += _unquote(line)
    flush()
    return messages


def mo_bytes(messages: dict[bytes, bytes]) -> bytes:
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\x00"
        strs += messages[key] + b"\x00"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    table = struct.pack(f"{len(koffsets + voffsets)}i", *(koffsets + voffsets))
    return header + table + ids + strs


def compile_file(po: Path, mo: Path | None = None) -> Path:
    mo = mo or po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(parse_po(po.read_text(encoding="utf-8"))))
    return mo


def catalogues(root: Path):
    for po in sorted(root.rglob("locale/*/LC_MESSAGES/*.po")):
        if not SKIP_DIRS.intersection(po.relative_to(root).parts):
            yield po


def compile_tree(root: Path) -> list[Path]:
    return [compile_file(po) for po in catalogues(root)]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    compiled = compile_tree(target)
    print(f"compiled {len(compiled)} catalogues under {target}")  # noqa: T201
