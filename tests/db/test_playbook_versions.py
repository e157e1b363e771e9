"""The database keeps each playbook version cases were opened with, as resolved: a case never
changes under its LA's edits, and an edit without a new version is refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from models.db.playbooks import forget_pinned, pin_playbook, pinned_playbook
from models.db.session import transaction
from models.errors import NotFound, PlaybookError
from models.rules.playbook_file import parse_playbook
from models.settings.environment import SHIPPED_CONFIG
from models.settings.files import playbook_named


def test_a_local_playbook_is_pinned_resolved_and_read_back_the_same(db_url: str) -> None:
    book = playbook_named("milton-keynes")
    with transaction() as session:
        pin_playbook(session, book)
    forget_pinned()
    with transaction() as session:
        pinned = pinned_playbook(session, "milton-keynes", book.version)
    assert replace(pinned, source="") == replace(book, source="")
    assert "extends" not in pinned.text and "[notice]" in pinned.text  # the statute's parts are in what the case keeps


def test_an_edit_without_a_new_version_is_refused_and_a_version_not_kept_is_not_found(db_url: str) -> None:
    text = (SHIPPED_CONFIG / "playbooks" / "england.toml").read_text()
    book = parse_playbook(text, "england.toml")
    edited = parse_playbook(text.replace("days = 20\nbasis = \"school\"", "days = 5\nbasis = \"school\"", 1), "england.toml")
    with transaction() as session:
        pin_playbook(session, book)
        pin_playbook(session, book)  # the same text again: nothing to do
    with pytest.raises(PlaybookError, match="give it a new version"), transaction() as session:
        pin_playbook(session, edited)
    with pytest.raises(NotFound, match="version 1999.1 is not stored"), transaction() as session:
        pinned_playbook(session, "england", "1999.1")


def test_a_transaction_that_fails_writes_nothing(db_url: str) -> None:
    book = playbook_named("wales")
    with pytest.raises(RuntimeError), transaction() as session:
        pin_playbook(session, book)
        raise RuntimeError("a failure after the write")
    forget_pinned()
    with pytest.raises(NotFound), transaction() as session:
        pinned_playbook(session, "wales", book.version)
    assert Path(book.source).name == "wales.toml"
