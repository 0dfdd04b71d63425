"""The site built in memory from content already loaded, for ``check`` and ``diff``.

Nothing is written and nothing read back: the files are the ones a build would write (``path →
bytes``, sorted), made by the build's own stages (:func:`~sitegen.site.pipeline.collect_assets`,
:func:`~sitegen.site.pipeline.render_site`, :func:`~sitegen.site.search.index_site`) and refused for the
same unsafe paths as the writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..content.drafts import Badge
from ..content.model import Content
from ..site.pipeline import collect_assets, render_site
from ..site.search import index_site
from ..site.writer import check_paths
from .linkcheck import SITE_LABEL


def build_files(content: Content, templates: Path, badges: Mapping[str, Badge] | None = None) -> dict[str, bytes]:
    """Every file of the site built from ``content`` with ``templates``; raises ContentErrors as a build does.

    ``badges`` mark unpublished news items ``content`` holds (``check --drafts``: :mod:`sitegen.content.drafts`)."""
    assets = collect_assets(templates)
    pages, files = render_site(content, templates, content.site.base_url, assets, badges=badges)
    files.update(index_site(pages, files))
    check_paths(files, Path(SITE_LABEL))
    return dict(sorted(files.items()))
