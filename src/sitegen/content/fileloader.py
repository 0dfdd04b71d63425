"""Reading content files one by one, collecting every problem: the :class:`Loader` that
:mod:`sitegen.content.loader` and :mod:`sitegen.content.newsloader` share.

A file that does not validate still gives what is valid of it (:mod:`sitegen.content.salvage`), so that the
checks across files see it; its own errors are in :attr:`Loader.errors`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from ..errors import ContentError, ContentErrors, display_path, make_error
from . import safefs
from .model import Markdown
from .sourcetext import SourceText
from .validation import validate_document
from .yamlsource import MarkdownSource, YamlDocument, parse_yaml_partial, read_source, split_front_matter

M = TypeVar("M", bound=BaseModel)


def is_ignored(path: Path) -> bool:
    """Editor backups, temp files and hidden files are not content."""
    name = path.name
    return (
        name.startswith((".", "~", "#"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak", ".orig"))
        or name in ("Thumbs.db", "desktop.ini", "README.md", "4913")
    )


FileResult = tuple[Any, tuple[ContentError, ...], dict[Path, YamlDocument]]
"""What reading one file gave: the value, its problems and its parsed YAML documents."""


class FileCache(Protocol):
    """What reading a file gave, kept while it is unchanged.

    ``serve`` passes :class:`sitegen.preview.incremental.LoadCache`.
    """

    def get(self, path: Path, kind: Hashable, read: Callable[[], FileResult]) -> FileResult:
        """``read()``, or what it returned for ``(path, kind)`` if the file has not changed since."""
        ...

    def folder(self, path: Path, kind: Hashable, read: Callable[[], FileResult]) -> FileResult:
        """``read()``, or what it returned for ``(path, kind)`` if nothing in the folder has changed since."""
        ...


class YamlCache(Protocol):
    """Parsed YAML kept between builds by the text it was parsed from (:class:`sitegen.site.buildcache.BuildCache`)."""

    def parse_yaml(self, source: SourceText) -> tuple[YamlDocument | None, list[ContentError]]:
        """What :func:`~sitegen.content.yamlsource.parse_yaml_partial` gives for ``source``."""
        ...


@dataclass
class Loader:
    """Reads files under ``root``, collecting every problem in ``errors``."""

    root: Path
    errors: list[ContentError] = field(default_factory=list)
    documents: dict[Path, YamlDocument] = field(default_factory=dict)
    cache: FileCache | None = None
    parsed: YamlCache | None = None
    """Parses kept from earlier builds (``sitegen build``'s cache folder)."""
    refused: set[Path] = field(default_factory=set)
    """Paths never to read or enter: links out of the folder, dangling links, devices, FIFOs, sockets."""

    def fail(self, path: Path, zh: str, en: str, line: int = 0) -> None:
        self.errors.append(make_error(path, line, 0, zh, en))

    def failed(self, path: Path) -> bool:
        """An error was reported in the file at ``path``."""
        shown = display_path(path)
        return any(e.path == shown and e.severity == "error" for e in self.errors)

    def listdir(self, folder: Path) -> list[Path]:
        """Content entries of ``folder``, sorted, without ignored files; those that must not be read
        or entered (:func:`sitegen.content.safefs.listdir`) are reported once and left out."""
        if folder in self.refused:
            return []
        found, refused = safefs.listdir(folder, self.root, is_ignored)
        for path, error in refused.items():
            if path not in self.refused:
                self.refused.add(path)
                self.errors.append(error)
        return found

    @staticmethod
    def has(path: Path) -> bool:
        """Something is at ``path``: a file, or a link or special file that reading will refuse."""
        return os.path.lexists(path)

    def cached(self, path: Path, kind: Hashable, read: Callable[[Loader], Any]) -> Any:
        """``read(loader)`` for one file, through the cache if any: on a fresh loader, so that the
        file's problems and documents are kept with its value and replayed while it is unchanged."""
        return read(self) if self.cache is None else self._through(self.cache.get, path, kind, read)

    def folder(self, path: Path, kind: Hashable, read: Callable[[Loader], Any]) -> Any:
        """``read(loader)`` for a whole folder, as :meth:`cached` does for a file: kept while nothing in it changed
        (``serve``'s watcher tells; its files are still each read through the cache when something did)."""
        return read(self) if self.cache is None else self._through(self.cache.folder, path, kind, read)

    def _through(
        self, get: Callable[..., FileResult], path: Path, kind: Hashable, read: Callable[[Loader], Any]
    ) -> Any:
        def fresh() -> FileResult:
            part = Loader(self.root, cache=self.cache, parsed=self.parsed)
            return read(part), tuple(part.errors), dict(part.documents)

        value, errors, documents = get(path, kind, fresh)
        self.errors.extend(errors)
        self.documents.update(documents)
        return value

    def yaml(self, path: Path, model: type[M], *, allow_empty: bool = False) -> M | None:
        """Read, parse and validate one YAML file."""
        if path in self.refused:
            return None
        return self.cached(path, ("yaml", model, allow_empty), lambda part: part._read_yaml(path, model, allow_empty))

    def _read_yaml(self, path: Path, model: type[M], allow_empty: bool) -> M | None:
        try:
            source = read_source(path, self.root)
        except ContentErrors as exc:
            self.errors.extend(exc.errors)
            return None
        doc, problems = self.parsed.parse_yaml(source) if self.parsed else parse_yaml_partial(source)
        self.errors.extend(problems)
        if doc is None:
            return None
        self.documents[path] = doc
        if doc.data is None and not allow_empty:
            self.fail(
                path,
                "文件是空的（或只有注释）。请填写内容，或删除这个文件。",
                "The file is empty (or holds only comments). Fill it in or delete it.",
                line=1,
            )
            return None
        value, self.documents[path] = validate_document(model, doc, self.errors)
        return value

    def markdown(self, path: Path, meta_model: type[M]) -> tuple[M | None, Markdown] | None:
        """Read a Markdown file and validate its front matter (if any)."""
        if path in self.refused:
            return None
        return self.cached(path, ("markdown", meta_model), lambda part: part._read_markdown(path, meta_model))

    def _read_markdown(self, path: Path, meta_model: type[M]) -> tuple[M | None, Markdown] | None:
        try:
            md: MarkdownSource = split_front_matter(read_source(path, self.root))
        except ContentErrors as exc:
            self.errors.extend(exc.errors)
            return None
        meta = None
        self.errors.extend(md.warnings)
        if md.meta is not None:
            self.documents[path] = md.meta
            meta, self.documents[path] = validate_document(meta_model, md.meta, self.errors)
        return meta, Markdown(md.body, path, md.body_line)

    def unknown(self, path: Path, expected_zh: str, expected_en: str, options: list[str] = ()) -> None:
        close = difflib.get_close_matches(path.name, list(options), n=1, cutoff=0.6)
        hint_zh = f"是否想写“{close[0]}”？" if close else ""
        hint_en = f'Did you mean "{close[0]}"? ' if close else ""
        self.fail(
            path,
            f"不认识的文件或文件夹“{path.name}”。{hint_zh}这里应是：{expected_zh}",
            f'Unknown file or folder "{path.name}". {hint_en}Expected here: {expected_en}',
        )
