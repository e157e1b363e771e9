"""Passwords as a member of staff would choose them: at least 12 characters, long ones kept
whole (no truncation), any script, no composition rules; stored only as an argon2 hash."""

from __future__ import annotations

import pytest

from models.db.accounts import Credential
from models.db.session import transaction
from models.errors import InvalidInput
from models.services import accounts, administration
from models.services.access import terminal_viewer
from models.services.accounts import SignInRefused
from models.services.directory import person_by_email
from tests.cli.support import LEAD, SENIOR
from tests.conftest import Scc


def _signs_in(password: str) -> bool:
    try:
        with transaction() as session:
            accounts.sign_in(session, LEAD, password)
    except SignInRefused:
        return False
    return True


def test_a_password_is_long_kept_whole_and_stored_as_an_argon2_hash(la: Scc) -> None:
    senior = terminal_viewer(SENIOR)
    with pytest.raises(InvalidInput, match="12 to 200 characters"):
        administration.set_password(senior, LEAD, "elevenchars")
    long_one = "ein sehr langes Passwort, eine Reihe von Wörtern ohne Regeln " * 3  # 186 characters, no digits or symbols
    administration.set_password(senior, LEAD, long_one.strip())
    assert _signs_in(long_one.strip()) and not _signs_in(long_one.strip()[:72]) and not _signs_in(long_one.strip()[:-1])
    administration.set_password(senior, LEAD, "пароль із кирилиці 🙂 ok")
    assert _signs_in("пароль із кирилиці 🙂 ok")
    with transaction() as session:
        stored = session.get(Credential, person_by_email(session, LEAD).id)
        assert stored is not None and stored.password_hash.startswith("$argon2id$") and "кирилиці" not in stored.password_hash
