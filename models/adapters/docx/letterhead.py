"""The LA's letterhead: who writes, from where, who signs; and the Word package it makes.

``<config>/letterhead.toml`` (or the file an authority of the installation names) names the authority, department, address, telephone, email,
an optional logo image and the signatory. The letterhead package — styles, a header with
the logo, name and address — is built once with python-docx and kept in memory; an LA
that has its own Word letterhead puts it beside, as ``<config>/letterhead.docx``, and that file's
header, footer and styles are used instead (its body is replaced by each letter's).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from models.errors import ConfigError
from models.rules.toml_text import line_of
from models.settings.environment import config_dir, config_toml, file_text

__all__ = ["LETTER_PARTS", "Letterhead", "base_package", "letterhead"]


@dataclass(frozen=True)
class Letterhead:
    authority: str
    department: str
    address: tuple[str, ...]
    telephone: str
    email: str
    signatory_name: str
    signatory_title: str
    logo: str = ""  # a path to an image, absolute or relative to the config folder
    word: str = ""  # the authority's own Word letterhead beside the .toml (same name, .docx), if it has one
    # The authority, department, address and signatory's title in Welsh (``authority_cy``… of the
    # file), for a letter in Welsh; none given: as in English.
    welsh: tuple[tuple[str, str | tuple[str, ...]], ...] = ()
    # How a bilingual letter sets its two languages: "after" (the Welsh, then the English from
    # a new page) or "side_by_side" (two columns, Welsh on the left).
    bilingual_layout: str = "after"

    def in_language(self, language: str) -> Letterhead:
        """The letterhead as a letter in ``language`` gives it: in Welsh its Welsh wording; for a
        bilingual letter each line in Welsh, then English ("Cyngor Sir Glanmor / Glanmor County Council")."""
        if language == "en" or not self.welsh:
            return self
        cy = dict(self.welsh)
        if language == "cy":
            return replace(self, **cy, welsh=())  # type: ignore[arg-type]  # the keys are this class's own fields
        both = {key: (tuple(f"{w} / {e}" if w != e else e for w, e in zip(value, getattr(self, key), strict=False))
                      if isinstance(value, tuple) else value if value == getattr(self, key) else f"{value} / {getattr(self, key)}")
                for key, value in cy.items()}
        return replace(self, **both, welsh=())  # type: ignore[arg-type]


# The fields a letterhead may give in Welsh beside English (``authority_cy`` …).
WELSH_FIELDS = ("authority", "department", "address", "signatory_title")


def letterhead(name: str = "letterhead.toml") -> Letterhead:
    """The letterhead ``name`` (a .toml of the config folder: each authority of an installation
    names its own, ``letterhead.toml`` by default)."""
    path, data = config_toml(name)
    own = config_dir() / Path(name).with_suffix(".docx")
    try:
        logo = str(data.get("logo", ""))
        if logo and not Path(logo).is_absolute():
            logo = str(path.parent / logo)
        if logo and not Path(logo).exists():
            raise ConfigError(path, None, f"the logo {logo} does not exist: fix `logo` or remove it")
        return Letterhead(
            authority=data["authority"], department=data.get("department", ""), address=tuple(data.get("address", [])),
            telephone=data.get("telephone", ""), email=data.get("email", ""),
            signatory_name=data["signatory_name"], signatory_title=data["signatory_title"], logo=logo,
            word=str(own) if own.exists() else "",
            welsh=tuple((key, tuple(data[f"{key}_cy"]) if key == "address" else str(data[f"{key}_cy"]))
                        for key in WELSH_FIELDS if f"{key}_cy" in data),
            bilingual_layout=_layout(path, data),
        )
    except KeyError as exc:
        raise ConfigError(path, None, f"missing {exc}: a letterhead needs authority, signatory_name and signatory_title") from None


BILINGUAL_LAYOUTS = ("after", "side_by_side")


def _layout(path: Path, data: dict[str, object]) -> str:
    layout = str(data.get("bilingual_layout", "after"))
    if layout not in BILINGUAL_LAYOUTS:
        raise ConfigError(path, line_of(file_text(path), "bilingual_layout"),
                          f'bilingual_layout must be "after" (the Welsh, then the English) or "side_by_side" (two columns), not "{layout}"')
    return layout


def base_package(head: Letterhead) -> tuple[bytes, str]:
    """The letterhead as a compressed .docx missing its body part and its properties (each
    letter writes its own), and the body part's XML (each letter's body goes before
    ``<w:sectPr``). A letter appends its two parts to a copy of these bytes, so the styles,
    header and logo are compressed once per letterhead, not once per letter."""
    if head.word:
        own = Path(head.word)
        return _own_package(own, own.stat().st_mtime_ns)
    return _built_package(head)


@lru_cache(maxsize=8)
def _built_package(head: Letterhead) -> tuple[bytes, str]:
    import docx  # built once per letterhead: python-docx loads lxml (start-up time)
    from docx.shared import Cm, Mm

    document = docx.Document()
    section = document.sections[0]  # python-docx's template is US Letter: an English or Welsh letter is A4
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    header = section.header
    first = header.paragraphs[0]
    if head.logo:
        first.add_run().add_picture(head.logo, height=Cm(1.6))
        first = header.add_paragraph()
    first.add_run(head.authority).bold = True
    for line in (head.department, ", ".join(head.address), " · ".join(p for p in (head.telephone, head.email) if p)):
        if line:
            header.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return _split(buffer.getvalue())


@lru_cache(maxsize=8)
def _own_package(path: Path, mtime_ns: int) -> tuple[bytes, str]:
    try:
        parts, body = _split(path.read_bytes())
    except (zipfile.BadZipFile, KeyError):
        raise ConfigError(path, None, "not a Word .docx file: save the letterhead as .docx") from None
    # Keep the section properties (page size, header and footer references); drop the body.
    start = body.index("<w:body>") + len("<w:body>")
    section = body.rfind("<w:sectPr")
    if section < start:
        raise ConfigError(path, None, "the letterhead has no section properties: open and re-save it in Word")
    return parts, body[:start] + body[section:body.index("</w:body>")] + body[body.index("</w:body>"):]


# The parts every letter writes for itself.
LETTER_PARTS = ("word/document.xml", "docProps/core.xml")


def _split(data: bytes) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as package, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as rest:
        for info in package.infolist():
            if info.filename not in LETTER_PARTS:
                rest.writestr(info.filename, package.read(info))
        body = package.read("word/document.xml").decode()
    return buffer.getvalue(), body
