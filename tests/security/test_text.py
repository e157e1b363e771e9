"""Text that cannot hide: line and paragraph separators, bidirectional controls and zero-width
characters are refused in names and one-line fields (everywhere they are typed), bidi
overrides in long text too, and no stored value can break an email's headers."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import httpx
import pytest

from models.db.messages import Notification
from models.errors import InvalidInput
from models.rules.text import checked_text
from models.services.outbox import _message
from tests.cli.support import LEAD, SENIOR, open_case
from tests.conftest import Scc, bearer, dump

HIDDEN = {"line separator": "\u2028", "paragraph separator": "\u2029", "right-to-left override": "\u202e",
          "first strong isolate": "\u2068", "zero-width space": "\u200b", "zero-width joiner": "\u200d",
          "byte order mark": "\ufeff"}


@pytest.mark.parametrize("what", HIDDEN)
def test_a_name_with_an_invisible_character_is_refused_at_the_terminal(what: str, la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    name = f"Oak{HIDDEN[what]}Primary"
    error = refused("school", "add", "--urn", "100077", "--name", name, "--type", "community", "--phase", "Primary",
                    "--la", "Riverford", "--as", LEAD)
    assert f"U+{ord(HIDDEN[what]):04X}" in error and "type it again without it" in error
    assert "the name" in refused("person", "add", "--name", f"Ann{HIDDEN[what]}Other", "--email", "ann@x.example",
                                 "--role", "lead", "--as", SENIOR)


def test_a_name_with_an_invisible_character_is_refused_by_the_api(server: str, staff: dict[str, str], la: Scc,
                                                                  db_url: str) -> None:
    before = dump(db_url)
    answer = httpx.post(server + "/api/v1/people", headers=bearer(staff[SENIOR]),
                        json={"name": "Ann\u202eOther", "email": "ann@x.example", "role": "lead"})
    assert answer.status_code == 422 and "U+202E" in answer.json()["detail"]
    assert dump(db_url) == before


def test_long_text_keeps_what_scripts_need_but_never_an_override(la: Scc, refused) -> None:  # type: ignore[no-untyped-def]
    assert checked_text("Cymraeg\u200d\u2028second line", "the reason", limit=500, lines=True).endswith("second line")
    with pytest.raises(InvalidInput, match=r"U\+202E"):
        checked_text("pay \u202eexe.live", "the reason", limit=500, lines=True)
    case = open_case(la)
    assert "U+202E" in refused("case", "advance", str(case), "start_diagnosis", "--on", "2026-09-15",
                               "--set", "method=review \u202ereversed", "--as", LEAD)


def test_an_email_about_a_name_stored_before_the_rule_still_goes_out_on_one_line() -> None:
    row = Notification(key="k", kind="reminder", recipient_email="ip@riverford.example.gov.uk",
                       recipient_name="Ian\u2028Partner", subject="Oak\u2029Primary\u202e: review due\u200b",
                       body="Oak\u2028Primary is due a review.", created_at=datetime.now(UTC))
    sent = message_from_bytes(_message(row, "casework@riverford.example.gov.uk").as_bytes(), policy=policy.default)
    assert sent["Subject"] == "Oak Primary: review due" and str(sent["To"]) == "Ian Partner <ip@riverford.example.gov.uk>"
