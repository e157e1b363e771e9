"""The catalogs of the product's words in each language: the pages', the playbook's (stages,
actions, documents, deadlines, alerts) and the emails' that name them.

``translations/<language>/LC_MESSAGES/messages.po``, kept by Babel (see the README), is
compiled in memory the first time a language other than English is asked for: there is no
compiled ``.mo`` to keep in step with it, and an English-only installation never loads it.
"""

from __future__ import annotations

from functools import lru_cache
from gettext import NullTranslations
from io import BytesIO

from models.settings.environment import SHIPPED_CONFIG

__all__ = ["CATALOGS", "catalog", "translated"]

CATALOGS = SHIPPED_CONFIG.parent / "translations"


@lru_cache(maxsize=4)
def catalog(language: str) -> NullTranslations:
    """The translations of ``language`` (English, or a language with no catalog: none)."""
    po = CATALOGS / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po.exists():
        return NullTranslations()
    from babel.messages.mofile import write_mo  # Babel only once another language is asked for
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po.open("rb") as text:
        read = read_po(text, locale=language)
    compiled = BytesIO()
    write_mo(compiled, read)
    compiled.seek(0)
    return Translations(compiled)


def translated(message: str, language: str) -> str:
    """``message`` in ``language``: itself where the catalog has no translation."""
    return catalog(language).gettext(message) if message and language != "en" else message
