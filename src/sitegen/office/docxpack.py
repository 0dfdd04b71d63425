"""Office packages (DOCX, XLSX) that are byte-identical for the same document at any time.

python-docx and XlsxWriter stamp each ZIP member with the time of saving and the operating system that wrote
it. :func:`deterministic_zip` rewrites the package: members in a fixed order (``[Content_Types].xml``
first, as the OPC readers expect, then ``_rels/.rels``, then the rest by name), one time stamp (the ZIP
epoch, 1980-01-01 00:00, unless given), the same system and file mode for all, deflated at level 6, as Word
and WPS write them. Stored, a 公文 was eight times larger: a city site's 7,200 of them were 650 MB of its
output. Deflate's bytes are those of the zlib CPython links: the same on every machine with the same zlib
(CPython on Windows uses zlib-ng from 3.14, whose bytes differ, the documents not). ``sitegen diff``, the
no-op build and ``serve`` compare builds of one machine.

:func:`drop_template_extras` removes what python-docx's template carries and a generated document
has no use for: a thumbnail of an empty page, ``stylesWithEffects.xml`` (Word 2010), a custom XML
item and the numbering of list styles that :mod:`sitegen.office.docxlayout` removes (a 公文 numbers
its headings and lists in the text).
"""

from __future__ import annotations

import io
import zipfile

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

EPOCH = (1980, 1, 1, 0, 0, 0)
UNIX, MODE = 3, 0o644 << 16
"""Every member as written on a Unix system with mode rw-r--r--, whichever system writes it."""
LEVEL = 6
"""zlib's default level."""
FIRST = ("[Content_Types].xml", "_rels/.rels")
_DROPPED_FROM_PACKAGE = {RT.THUMBNAIL}
_DROPPED_FROM_DOCUMENT = {
    RT.CUSTOM_XML,
    RT.NUMBERING,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}


def deterministic_zip(
    data: bytes, replace: dict[str, bytes] | None = None, when: tuple[int, int, int, int, int, int] = EPOCH
) -> bytes:
    """``data`` (a DOCX or XLSX) rewritten with a fixed order, time stamp ``when`` and compression; ``replace``
    swaps members' bytes."""
    replace = replace or {}
    members = unzipped(data)
    missing = set(replace) - set(members)
    if missing:
        raise ValueError(f"cannot replace members the package does not have: {sorted(missing)}")
    return zipped({**members, **replace}, when)


def unzipped(data: bytes) -> dict[str, bytes]:
    """The members of a ZIP package by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return {name: source.read(name) for name in source.namelist()}


def zipped(members: dict[str, bytes], when: tuple[int, int, int, int, int, int] = EPOCH) -> bytes:
    """A package of ``members`` in the fixed order, with time stamp ``when`` and compression (see above)."""
    order = [name for name in FIRST if name in members] + sorted(set(members) - set(FIRST))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = UNIX  # ZipInfo says 0 on Windows, 3 elsewhere
            info.external_attr = MODE
            target.writestr(info, members[name], compresslevel=LEVEL)
    return out.getvalue()


def drop_template_extras(word: Document) -> None:
    """Unlink the template's parts that a generated document does not use (they are then not saved)."""
    for rels, dropped in ((word.part.package.rels, _DROPPED_FROM_PACKAGE), (word.part.rels, _DROPPED_FROM_DOCUMENT)):
        for r_id in [r_id for r_id, rel in rels.items() if rel.reltype in dropped]:
            rels.pop(r_id)
