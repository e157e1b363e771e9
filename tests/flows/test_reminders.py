"""Reminders and alerts reach a real mail server, once each, and survive it being down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.cli.support import IP, LEAD, NOTICE, SENIOR, advance, open_case
from tests.conftest import Mailbox, Scc


def _body(message: object) -> str:
    return message.get_payload(decode=True).decode()  # type: ignore[attr-defined]


def test_reminders_reach_the_right_people_with_the_right_text(la: Scc, smtp: Mailbox) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)  # compliance period ends Tue 5 Jan 2027
    # Five working days before 5 January, skipping Christmas, the Boxing Day substitute and New Year's Day.
    report = la.json("flows", "run", "deadline_sweep", "--on", "2026-12-24")
    assert report["reminders_queued"] == 2 and report["sent"]["error"] is None
    (to_lead,) = [m for m in smtp.to(LEAD) if str(m["Subject"]).startswith("Reminder")]
    (to_senior,) = [m for m in smtp.to(SENIOR) if str(m["Subject"]).startswith("Reminder")]
    assert "End of the warning notice's compliance period" in str(to_lead["Subject"])
    assert "Oak Primary" in str(to_lead["Subject"])
    body = _body(to_lead)
    assert "Dear Dana Lead" in body and "Tuesday 5 January 2027, in 5 working days" in body
    # what meets it, in words
    assert "Record that the governing body complied" in body and "Record that the governing body did not comply" in body
    assert "skipped" in body  # how the date was counted
    assert "Dear Sue Senior" in _body(to_senior)
    # The action itself told the case team about its new deadlines.
    assert any("Oak Primary: Give a warning notice" in str(m["Subject"]) for m in smtp.to(IP))


def test_sweeping_twice_sends_nothing_twice(la: Scc, smtp: Mailbox) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    la.json("flows", "run", "deadline_sweep", "--on", "2026-12-24")
    first = len(smtp.messages)
    again = la.json("flows", "run", "deadline_sweep", "--on", "2026-12-24")
    assert again["reminders_queued"] == 0 and again["sent"]["sent"] == 0
    assert len(smtp.messages) == first
    # The next reminder (1 working day before) is a new one, sent once.
    la.json("flows", "run", "deadline_sweep", "--on", "2027-01-04")
    la.json("flows", "run", "deadline_sweep", "--on", "2027-01-04")
    keys = smtp.keys()
    assert len(keys) == len(set(keys))
    assert sorted(k.split(":", 3)[2] for k in keys[first:] if k.startswith("deadline:")) == ["-1", "-1"]
    assert [k for k in keys[first:] if k.startswith("digest:")] == ["digest:2027-W01:ip@riverford.example.gov.uk"]  # a Monday
    (digest,) = [m for m in smtp.messages if str(m["X-SCC-Key"]).startswith("digest:")]
    body = _body(digest)
    assert "Dear Ian Partner" in body and "Your deadlines for the week of Monday 4 January 2027" in body
    assert "Tuesday 5 January 2027: End of the warning notice's compliance period — Oak Primary (case 1)" in body


def test_a_deadlines_own_reminder_job_sends_just_its_reminder(la: Scc, smtp: Mailbox) -> None:
    from datetime import date

    from flows.recurring import send_reminders
    from flows.runtime import run

    case = open_case(la)
    shown = advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    compliance = next(d["id"] for d in shown["deadlines"] if d["kind"] == "compliance_period_end")
    report = run(send_reminders, deadline_ids=[compliance], on=date(2027, 1, 4))  # one working day before
    assert report["queued"] == 2 and report["sent"]["sent"] == 4  # and the case team's update, still queued
    assert sorted(k for k in smtp.keys() if k.startswith("deadline:")) == [
        f"deadline:{compliance}:-1:{LEAD}", f"deadline:{compliance}:-1:{SENIOR}"]
    assert run(send_reminders, deadline_ids=[compliance], on=date(2027, 1, 4))["queued"] == 0


def test_reminders_wait_while_the_mail_server_is_down(la: Scc, smtp: Mailbox) -> None:
    from flows.recurring import send_notifications
    from flows.runtime import run

    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    smtp.stop()
    report = la.json("flows", "run", "deadline_sweep", "--on", "2026-12-24")
    assert report["sent"]["sent"] == 0 and "cannot reach the mail server" in report["sent"]["error"]
    queued = la.json("outbox", "list", "--status", "queued")
    assert {row["to"] for row in queued} == {LEAD, SENIOR, IP}
    assert all(row["attempts"] == 1 and "cannot reach" in row["last_error"] for row in queued)
    smtp.start()
    # Backed off: not retried at once, then sent once the back-off has passed.
    assert run(send_notifications, now=datetime.now(UTC))["sent"] == 0
    later = run(send_notifications, now=datetime.now(UTC) + timedelta(minutes=2))
    assert later["sent"] == len(queued) == len(smtp.messages)
    assert la.json("outbox", "list", "--status", "queued") == []
    assert run(send_notifications, now=datetime.now(UTC) + timedelta(hours=1))["sent"] == 0


def test_overdue_compliance_raises_an_alert_the_case_shows(la: Scc, smtp: Mailbox) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    report = la.json("flows", "run", "deadline_sweep", "--on", "2027-01-06")
    assert report["overdue"] == 1
    assert [(a["alert"], sorted(a["to"])) for a in report["alerts_raised"]] == [
        ("compliance_outcome_missing", sorted([LEAD, SENIOR]))]
    shown = la.json("case", "show", str(case))
    (alert,) = shown["alerts"]
    assert alert["kind"] == "compliance_outcome_missing" and alert["resolved_on"] is None
    assert "record compliance or non-compliance" in alert["detail"]
    assert any(str(m["Subject"]).startswith("OVERDUE") for m in smtp.to(LEAD))
    assert any(str(m["Subject"]).startswith("Action needed") for m in smtp.to(SENIOR))
    # Dealt with: the outcome is recorded, the next sweep resolves the alert.
    advance(la, case, "record_compliance", "2027-01-07", "evidence=Plan implemented")
    assert la.json("flows", "run", "deadline_sweep", "--on", "2027-01-08")["alerts_resolved"] == 1
    assert la.json("case", "show", str(case))["alerts"][0]["resolved_on"] == "2027-01-08"


def test_two_then_three_terms_without_improvement_escalate(la: Scc, smtp: Mailbox) -> None:
    case = open_case(la, on="2026-09-14")
    advance(la, case, "start_diagnosis", "2026-09-15")
    advance(la, case, "conclude_diagnosis", "2026-09-29", "level=LA4b", "reasons=standards")
    advance(la, case, "add_priority", "2026-09-30", "title=Reading", "success_criteria=70% expected",
        "lead=Head teacher", "target_on=2027-07-16", "resources=IP time")
    advance(la, case, "record_progress_review", "2026-10-20", "rag.1=amber", "next_steps=x", actor=IP)
    advance(la, case, "record_progress_review", "2026-12-10", "rag.1=amber", "next_steps=x", actor=IP)
    # Autumn (ends 18 Dec) has ended: one term, no alert yet.
    assert la.json("flows", "run", "deadline_sweep", "--on", "2027-01-05")["alerts_raised"] == []
    advance(la, case, "record_progress_review", "2027-03-10", "rag.1=red", "reason.1=No progress", "next_steps=x", actor=IP)
    two = la.json("flows", "run", "deadline_sweep", "--on", "2027-03-29")["alerts_raised"]  # spring ended 26 March
    assert [(a["alert"], a["to"]) for a in two] == [("no_improvement_two_terms", [LEAD])]
    three = la.json("flows", "run", "deadline_sweep", "--on", "2027-07-22")["alerts_raised"]  # summer ended 21 July
    assert [(a["alert"], a["to"]) for a in three] == [("no_improvement_three_terms", [SENIOR])]
    assert "directorate management team" in _body(smtp.to(SENIOR)[-1])
    # An improving review ends the stall: both alerts are resolved.
    advance(la, case, "record_progress_review", "2027-09-10", "rag.1=yellow", "next_steps=x", actor=IP)
    assert la.json("flows", "run", "deadline_sweep", "--on", "2027-09-13")["alerts_resolved"] == 2


def test_bad_dates_and_mail_settings_are_refused_before_anything_is_written(la: Scc, refused, monkeypatch) -> None:
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)
    assert "--on must be a date like 2026-11-30" in refused("flows", "run", "deadline_sweep", "--on", "2026-13-01")
    monkeypatch.setenv("SCC_SMTP_PORT", "smtp")
    assert "SCC_SMTP_PORT must be a port number" in refused("flows", "run", "deadline_sweep", "--on", "2027-01-06")


def test_mail_server_credentials_are_used_and_a_refused_login_keeps_mail_queued(la: Scc, smtp: Mailbox, monkeypatch) -> None:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from flows.recurring import send_notifications
    from flows.runtime import run

    def authenticator(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"casework", b"s3cret")
        return AuthResult(success=ok, handled=False)

    smtp.stop()
    smtp.start(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    monkeypatch.setenv("SCC_SMTP_USER", "casework")
    monkeypatch.setenv("SCC_SMTP_PASSWORD", "wrong")
    case = open_case(la)
    advance(la, case, "issue_warning_notice", "2026-12-10", *NOTICE)  # the case team is told: two emails queued
    refused = run(send_notifications, now=datetime.now(UTC))
    assert refused["sent"] == 0 and "refused the login of casework (535)" in refused["error"] and smtp.messages == []
    monkeypatch.setenv("SCC_SMTP_PASSWORD", "s3cret")
    assert run(send_notifications, now=datetime.now(UTC) + timedelta(minutes=2))["sent"] == 2 == len(smtp.messages)
