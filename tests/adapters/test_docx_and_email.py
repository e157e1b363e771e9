"""The adapters on their own: the letterhead's Word package and the emails' templates."""

from __future__ import annotations

import io
import zipfile

import pytest

from models.adapters.docx.letterhead import LETTER_PARTS, base_package, letterhead
from models.adapters.mail.templates import email_template, render_email
from models.errors import DocumentError


def test_the_letterhead_package_carries_the_authority_and_leaves_the_body_to_the_letter() -> None:
    head = letterhead()
    package, body = base_package(head)
    assert "<w:sectPr" in body  # each letter's paragraphs go before it
    with zipfile.ZipFile(io.BytesIO(package)) as parts:
        names = set(parts.namelist())
        assert not names & set(LETTER_PARTS)  # the body and the properties are each letter's own
        headers = "".join(parts.read(n).decode() for n in names if n.startswith("word/header"))
    assert head.authority in headers


def test_an_email_template_fills_from_its_context_and_names_what_it_lacks() -> None:
    template = email_template("reminder")
    with pytest.raises(DocumentError, match="email template reminder.txt.j2"):
        render_email(template, {})
    assert email_template("reminder") is template  # compiled once, reused for every email of a sweep
