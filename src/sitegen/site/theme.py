"""Where the default theme, the JSON Schemas and the starter are: in the package, or in this checkout.

An installed sitegen carries them as package data (``sitegen/theme/``, ``sitegen/schemas/``,
``sitegen/starter/``); run from the repository they are its top-level ``templates/`` and
``schemas/`` folders. A site's own ``templates/`` folder is used instead of the theme only when it
holds template files (a folder with just its README note, or none at all, means the bundled theme).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
"""The installed (or checked-out) ``sitegen`` package folder."""

_CHECKOUT = PACKAGE.parents[1]
"""The repository root when sitegen runs from its checkout (``src/sitegen`` → ``.``)."""


def checkout() -> Path | None:
    """sitegen's own repository when it runs from its checkout (``build.py``), else ``None`` (installed)."""
    is_checkout = (_CHECKOUT / "build.py").is_file() and (_CHECKOUT / "pyproject.toml").is_file()
    return _CHECKOUT if is_checkout else None


NOTES = frozenset({"readme.md", "readme.txt", "readme"})
"""File names in a site's ``templates/`` folder that are notes for people, not templates."""


def _bundled(packaged: str, in_checkout: str) -> Path:
    """The package-data folder ``packaged`` when installed, else the checkout's ``in_checkout``."""
    inside = PACKAGE / packaged
    return inside if inside.is_dir() else _CHECKOUT / in_checkout


def theme_dir() -> Path:
    """The default theme: the Jinja2 templates and ``assets/`` every site starts from."""
    return _bundled("theme", "templates")


def schemas_dir() -> Path:
    """The JSON Schemas of the content files, as ``sitegen schema`` writes them."""
    return _bundled("schemas", "schemas")


def starter_dir() -> Path:
    """The files ``sitegen init`` copies into a new site (always inside the package)."""
    return PACKAGE / "starter"


def has_templates(folder: Path) -> bool:
    """True when ``folder`` holds at least one template file (not only notes or hidden files)."""
    if not folder.is_dir():
        return False
    return any(
        path.is_file() and path.name.lower() not in NOTES and not path.name.startswith(".")
        for path in folder.rglob("*")
    )


def default_templates(site: Path = Path()) -> Path:
    """``site/templates`` when the site has templates of its own, else the bundled theme."""
    local = site / "templates"
    return local if has_templates(local) else theme_dir()


def command() -> str:
    """How the user runs sitegen here, for messages: ``python build.py`` in the checkout, else ``sitegen``."""
    return "python build.py" if checkout() else "sitegen"
