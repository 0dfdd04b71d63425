"""The build, as a readable recipe: load → model → figures → charts → pages → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError
from .loader import load_content


@dataclass(frozen=True)
class BuildResult:
    """What a build did."""

    pages: int
    warnings: tuple[ContentError, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        return f"built {self.pages} pages, {len(self.warnings)} warning(s)"


def build(content_dir: Path, output_dir: Path, *, templates: Path, base_url: str | None = None) -> BuildResult:
    """Build the site from ``content_dir`` into ``output_dir``.

    Raises :class:`~sitegen.errors.ContentErrors` when the content has problems.
    """
    # 1. Load and validate every content file (all problems at once, with file:line).
    content = load_content(content_dir)
    # 2-5. Figures, charts, pages and writing are added by the site issue.
    return BuildResult(pages=0, warnings=content.warnings)
