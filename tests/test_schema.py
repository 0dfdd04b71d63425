"""JSON Schemas for editors: committed, current, and accepting the example content."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sitegen.content.schema import SCHEMAS, render, vscode_settings

ROOT = Path(__file__).resolve().parents[1]


class EditorLoader(yaml.SafeLoader):
    """Reads YAML as VS Code's YAML extension does: dates stay strings."""


EditorLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_current(name: str) -> None:
    path = ROOT / "schemas" / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == render(name), "run: python build.py schema"


def _files_for(name: str) -> list[Path]:
    _, pattern = SCHEMAS[name]
    periods = ("liuwu", "qiwu", "bawu", "jiuwu")
    if "{periods}" in pattern:
        return [p for period in periods for p in ROOT.glob(pattern.replace("{periods}", period))]
    return sorted(ROOT.glob(pattern))


def _front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n")[1]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_example_content_validates_against_its_schema(name: str) -> None:
    schema = jsonschema.Draft202012Validator(json.loads(render(name)))
    files = _files_for(name)
    assert files, name
    for path in files:
        text = _front_matter(path) if path.suffix == ".md" else path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=EditorLoader)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema.iter_errors(data)]
        assert errors == [], f"{path}: {errors[:3]}"


def test_schema_rejects_a_typo() -> None:
    schema = jsonschema.Draft202012Validator(json.loads(render("year")))
    data = {"events": [{"date": "2021-12-04", "title": "x", "kind": "lecture", "partcipants": 3}]}
    assert any("partcipants" in e.message for e in schema.iter_errors(data))


def test_vscode_settings_map_every_yaml_schema() -> None:
    settings = vscode_settings(["bawu", "qiwu"])
    assert settings["yaml.schemas"]["./schemas/period-record.schema.json"] == "content/units/*/{bawu,qiwu}.yaml"
    assert len(settings["yaml.schemas"]) == len(SCHEMAS) - 1  # news front matter is not YAML to VS Code
