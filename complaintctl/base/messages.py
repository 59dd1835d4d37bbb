"""Every user-facing text of complaintctl, in English and Simplified Chinese (the texts themselves are in
`catalogue`).

`t(key, **fields)` formats the text in the current language. The shell picks the language once (the store's
`language` setting, else the locale); the core only asks for texts by key.
"""

from __future__ import annotations

import locale
import os

from complaintctl.base.catalogue import CATALOGUE

__all__ = ["CATALOGUE", "LANGUAGES", "current_language", "pick", "set_language", "t"]

LANGUAGES = ("en", "zh")
_language = "en"


def set_language(language: str | None) -> str:
    """Use `language`, else the locale; returns the language chosen."""
    global _language
    _language = language if language in LANGUAGES else _from_locale()
    return _language


def current_language() -> str:
    return _language


def _from_locale() -> str:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"


def t(key: str, **fields: object) -> str:
    english, chinese = CATALOGUE[key]
    return (chinese if _language == "zh" else english).format(**fields)


def pick(label: object, language: str | None = None) -> str:
    """The text of a bilingual label (`{en: .., zh: ..}` or an object with en/zh) in the language."""
    language = language or _language
    if isinstance(label, dict):
        return str(label.get(language) or label.get("en") or label.get("zh") or "")
    value = getattr(label, language, None) or getattr(label, "en", None) or getattr(label, "zh", "")
    return str(value or "")
