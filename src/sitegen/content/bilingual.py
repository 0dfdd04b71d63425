"""What every value shares: editors' errors in Chinese and English, the frozen base of every content model,
full-width characters explained, and bilingual text (:class:`Text`)."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError


def problem(zh: str, en: str) -> PydanticCustomError:
    """A validation error whose message is written for editors, in both languages."""
    return PydanticCustomError("sitegen", "{en}", {"zh": zh, "en": en})


def messages(exc: Exception) -> tuple[str, str]:
    """The (Chinese, English) message of an error raised by :func:`problem`."""
    ctx = getattr(exc, "context", None) or {}
    return ctx.get("zh", str(exc)), ctx.get("en", str(exc))


def problem_at(field_name: str, zh: str, en: str) -> PydanticCustomError:
    """A model's own error (:func:`problem`), shown at the line of ``field_name``."""
    return PydanticCustomError("sitegen", "{en}", {"zh": zh, "en": en, "at": field_name})


class Frozen(BaseModel):
    """Base of every content model: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, use_attribute_docstrings=True)


# --------------------------------------------------------------------------- full-width


def reject_fullwidth(text: str) -> None:
    """Refuse digits and signs typed full-width (``１２００``), showing them half-width."""
    normal = unicodedata.normalize("NFKC", text)
    if normal != text and any(unicodedata.east_asian_width(c) == "F" for c in text):
        wide = "".join(sorted({c for c in text if unicodedata.east_asian_width(c) == "F"}))
        raise problem(
            f"“{text}”里有全角字符“{wide}”（中文输入法输入的数字或符号）。请改为半角：{normal}",
            f'"{text}" contains full-width characters "{wide}" (typed with a Chinese input method). '
            f"Type them half-width: {normal}",
        )


# --------------------------------------------------------------------------- text


class Text(Frozen):
    """Text in Chinese and, once translated, English. A missing ``en`` is normal."""

    zh: str
    en: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Text:
        if not self.zh:
            raise problem("中文内容不能为空。", "The Chinese text cannot be empty.")
        return self

    def get(self, lang: str) -> str | None:
        """The text in ``lang``, or ``None`` when not translated."""
        return self.zh if lang == "zh" else self.en


def _text_input(raw: Any) -> Any:
    if isinstance(raw, str):
        return {"zh": raw}
    if isinstance(raw, list):
        raise problem(
            "这里应是一段文字（或 zh:/en: 两行），不是列表。",
            "This must be a piece of text (or zh:/en: lines), not a list.",
        )
    if isinstance(raw, dict) and raw.get("en") == "":
        return {**raw, "en": None}
    return raw


TEXT_SCHEMA = {
    "anyOf": [
        {"type": "string", "description": "中文 (Chinese only; English not translated yet)"},
        {
            "type": "object",
            "properties": {"zh": {"type": "string"}, "en": {"type": ["string", "null"]}},
            "required": ["zh"],
            "additionalProperties": False,
        },
    ]
}
TextField = Annotated[Text, BeforeValidator(_text_input), WithJsonSchema(TEXT_SCHEMA)]
"""A bilingual field: a plain string (Chinese) or ``{zh: …, en: …}``."""
