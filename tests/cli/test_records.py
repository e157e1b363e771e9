"""Records an LA can trust: nothing dated after today, every action by the person who took
it, every refusal one line with nothing written and no flow started."""

from __future__ import annotations

import re

import pytest

from tests.cli.support import LEAD, NOTICE, SENIOR, advance, open_case
from tests.conftest import TODAY, Scc, dump


def test_nothing_is_recorded_as_happening_after_today(la: Scc, refused, db_url: str) -> None:
    case = open_case(la)
    before = dump(db_url)
    message = refused("case", "advance", str(case), "start_diagnosis", "--on", "2027-10-01", "--as", LEAD)
    assert message == f"error: 'start_diagnosis' is dated 2027-10-01, after today ({TODAY}): record it once it has happened"
    assert "after today" in refused("case", "open", "100002", "--reason", "r", "--on", "2027-10-01", "--as", LEAD)
    assert "after today" in refused("flows", "run", "deadline_sweep", "--on", "2027-10-01")
    assert dump(db_url) == before


def test_an_action_is_recorded_as_taken_by_the_person_who_took_it(la: Scc, monkeypatch: pytest.MonkeyPatch) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15", actor=SENIOR)
    monkeypatch.setenv("SCC_USER", SENIOR)
    la.json("case", "advance", str(case), "conclude_diagnosis", "--on", "2026-09-25", "--set", "level=LA4b",
            "--set", "reasons=Reading")
    events = {e["action"]: e["actor"] for e in la.json("case", "show", str(case))["events"]}
    assert events["start_diagnosis"] == SENIOR and events["conclude_diagnosis"] == SENIOR


def test_with_nobody_named_and_two_leads_a_change_is_refused(la: Scc, refused, db_url: str) -> None:
    case = open_case(la)
    la("person", "add", "--name", "Lee Second", "--email", "second@riverford.example.gov.uk", "--role", "lead", "--as", SENIOR)
    before = dump(db_url)
    message = refused("case", "advance", str(case), "start_diagnosis", "--on", "2026-09-15")
    assert "nobody is named as the person acting" in message and "more than one lead" in message
    assert dump(db_url) == before


def test_with_one_lead_on_record_that_lead_acts(la: Scc) -> None:
    case = open_case(la)
    la.json("case", "advance", str(case), "start_diagnosis", "--on", "2026-09-15")
    events = {e["action"]: e["actor"] for e in la.json("case", "show", str(case))["events"]}
    assert events["start_diagnosis"] == LEAD


def test_no_refusal_or_email_or_letter_carries_a_source_reference(la: Scc, refused) -> None:
    case = open_case(la, "100003")
    message = refused("case", "advance", str(case), "issue_warning_notice", "--on", "2026-10-01", "--as", LEAD,
                      *sum((["--set", s] for s in NOTICE), []))
    assert "Regional Director" in message and ":L" not in message
    from models.settings.files import names_in, playbook_named

    for name in names_in("playbooks"):  # every text a user reads from every shipped playbook
        book = playbook_named(name)
        texts = [a.title for a in book.actions.values()] + [a.refusal for a in book.actions.values()]
        texts += [f.help for a in book.actions.values() for f in a.fields] + [e.message for e in book.escalations]
        assert not [t for t in texts if ":L" in t], name


def test_case_actions_lists_what_may_be_taken_now_and_what_is_blocked(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    shown = la.json("case", "actions", str(case))
    allowed = [a["action"] for a in shown["actions"]]
    assert "record_compliance" in allowed and "record_non_compliance" in allowed  # today the period has ended
    blocked = {a["action"]: a["blocked"] for a in shown["blocked"]}
    assert "without an outcome" in blocked["issue_warning_notice"] and "has no priorities" in blocked["submit_statement_of_action"]
    text = la("case", "actions", str(case)).output
    assert "blocked now:" in text and "category — choice: special_measures | serious_weaknesses" in text


def test_a_closed_case_has_no_live_deadline(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "close_without_intervention", "2026-09-25", "reasons=Resolved at diagnosis")
    deadlines = la.json("case", "show", str(case))["deadlines"]
    assert [(d["kind"], d["status"], d["closed_reason"]) for d in deadlines] == [
        ("diagnosis_due", "cancelled", "cancelled by close_without_intervention")]


def test_documents_and_the_directory_are_recorded_under_the_person_too(la: Scc, refused, monkeypatch: pytest.MonkeyPatch) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    la("person", "add", "--name", "Lee Second", "--email", "second@riverford.example.gov.uk", "--role", "lead", "--as", SENIOR)
    assert "nobody is named as the person acting" in refused("doc", "render", str(case), "warning_notice")
    monkeypatch.setenv("SCC_USER", SENIOR)
    la.json("doc", "render", str(case), "warning_notice")
    la.json("school", "assign", "100004", "--ip", "ip@riverford.example.gov.uk")
    from sqlalchemy import select

    from models.db.audit import AuditEvent
    from models.db.session import transaction

    with transaction() as session:
        events = session.execute(select(AuditEvent.action, AuditEvent.actor).order_by(AuditEvent.seq)).all()
    assert ("document_generated", SENIOR) in events and ("school_people_assigned", SENIOR) in events
    assert ("person_added", "setup") in events  # the first person, added while nobody was on record


def test_emails_name_stages_and_actions_in_words(la: Scc) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-10-05", *NOTICE)
    la.json("flows", "run", "deadline_sweep", "--on", "2026-11-02")  # the compliance outcome is overdue: reminders, an alert
    from sqlalchemy import select

    from models.db.messages import Notification
    from models.db.session import transaction

    with transaction() as session:
        mails = session.execute(select(Notification.kind, Notification.subject, Notification.body)).all()
    assert {m.kind for m in mails} >= {"case_update", "reminder", "alert"}
    for kind, subject, body in mails:
        text = f"{subject}\n{body}"
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|scc |\d{3}:L\d", text), (kind, re.search(r"\b[a-z]+_[a-z_]+\b|scc |\d{3}:L\d", text))


def test_a_place_on_a_case_or_school_is_held_only_by_a_fitting_role(la: Scc, refused, db_url: str) -> None:
    before = dump(db_url)
    message = refused("case", "open", "100001", "--reason", "r", "--on", "2026-09-14", "--lead", "head@oak.example.sch.uk",
                      "--as", LEAD)
    assert message == "error: head@oak.example.sch.uk is a head: the lead must be a lead or senior"
    assert "the ip must be a ip or principal_ip" in refused("school", "assign", "100004", "--ip", LEAD, "--as", LEAD)
    assert dump(db_url) == before
