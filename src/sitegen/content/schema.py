"""JSON Schemas of the content files, so that editors validate and complete while typing.

``python build.py schema`` writes one schema per kind of file into ``schemas/`` and the
matching ``yaml.schemas`` mapping for VS Code's YAML extension (Red Hat) into
``.vscode/settings.json`` (only if that file does not exist yet).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .model import NewsMeta, ObservancesFile, PeriodRecord, PeriodsFile, SiteConfig, UnitInfo, YearRecord

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "site": (SiteConfig, "content/site.yaml"),
    "periods": (PeriodsFile, "content/periods.yaml"),
    "observances": (ObservancesFile, "content/observances.yaml"),
    "unit": (UnitInfo, "content/units/*/unit.yaml"),
    "year": (YearRecord, "content/units/*/[0-9][0-9][0-9][0-9].yaml"),
    "period-record": (PeriodRecord, "content/units/*/{periods}.yaml"),
    "news": (NewsMeta, "content/news/*.zh.md"),
}
"""Schema name → (model, the files it applies to)."""


def schema_for(model: type[BaseModel]) -> dict:
    """The JSON Schema (draft 2020-12) of one content model."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render(name: str) -> str:
    """A schema as deterministic JSON text."""
    model, _ = SCHEMAS[name]
    return json.dumps(schema_for(model), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def vscode_settings(period_ids: list[str], folder: str = "schemas") -> dict:
    """The ``yaml.schemas`` setting that maps each schema to its files."""
    periods = "{" + ",".join(period_ids) + "}" if period_ids else "*wu"
    return {
        "yaml.schemas": {
            f"./{folder}/{name}.schema.json": glob.replace("{periods}", periods)
            for name, (_, glob) in SCHEMAS.items()
            if name != "news"
        },
        "files.encoding": "utf8",
        "files.eol": "\n",
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2},
    }


def write_schemas(folder: Path, period_ids: list[str]) -> list[Path]:
    """Write every schema into ``folder`` (and VS Code settings if absent); return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(render(name), encoding="utf-8", newline="\n")
        written.append(path)
    settings = Path(".vscode") / "settings.json"
    if not settings.exists():
        settings.parent.mkdir(exist_ok=True)
        settings.write_text(
            json.dumps(vscode_settings(period_ids, folder.as_posix()), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        written.append(settings)
    return written
