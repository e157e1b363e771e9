"""The daily deadline sweep: mark what is overdue, raise escalations, queue reminders.

Run once a day (by ``scc serve``, or ``scc flows run deadline_sweep --on DATE``), in one
transaction, over every open case at once: a handful of queries whatever the number of
deadlines, because an LA's whole caseload is swept each morning. Everything it writes is
keyed (alerts by case, rule and cause; outbox rows by deadline, offset and recipient), so
running it twice on the same day, or again after a crash, adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import jinja2
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, aliased

from models.adapters.mail.templates import email_template, render_email
from models.db import audit
from models.db.authorities import Authority, PersonRole
from models.db.base import table_of
from models.db.cases import Case, Deadline, Meeting, RagJudgement
from models.db.messages import Alert
from models.db.playbooks import pinned_playbook
from models.db.queries import case_has_duties, case_is_open, deadline_is_live, meeting_is_live, rows_changed
from models.db.schools import Person, School
from models.errors import CaseworkError
from models.rules.calendar import TermCalendar, welsh_explanation
from models.rules.escalation import RAG_SCORE, CaseProgress, Firing, LiveDeadline, escalations_due
from models.rules.playbook import Playbook
from models.rules.reminders import ReminderRules
from models.rules.roles import OVERSIGHT
from models.rules.text import in_words
from models.rules.welsh import listed as welsh_listed
from models.rules.words import listed
from models.services.accounts import forget_dead_sessions
from models.services.authorities import name_in
from models.services.outbox import queue
from models.services.recount import TERM_DATES_ALERT, raise_term_date_alerts
from models.settings.catalog import translated
from models.settings.files import calendar_named, reminder_rules
from models.vocab import Basis, DeadlineStatus, Jurisdiction, Language, MeetingKind, Rag, Role

__all__ = ["SweepReport", "deadline_sweep", "queue_reminders"]


@dataclass
class SweepReport:
    on: date
    overdue: int = 0
    alerts_raised: list[dict[str, Any]] = field(default_factory=list)
    alerts_resolved: int = 0
    reminders_queued: int = 0
    digests_queued: int = 0
    term_date_alerts: int = 0
    sessions_forgotten: int = 0
    problems: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "overdue": self.overdue, "alerts_raised": self.alerts_raised,
                "alerts_resolved": self.alerts_resolved, "reminders_queued": self.reminders_queued,
                "digests_queued": self.digests_queued, "term_date_alerts": self.term_date_alerts,
                "sessions_forgotten": self.sessions_forgotten,
                "problems": {str(k): v for k, v in self.problems.items()}}


@dataclass(frozen=True)
class _Person:
    name: str
    email: str
    language: str = "en"  # of the emails written to them


@dataclass(frozen=True)
class _LiveDeadline:
    id: int
    kind: str
    due: date
    status: str
    explanation: str
    counted_from: date
    amount: int
    unit: str
    basis: str
    explanation_cy: str | None


@dataclass
class _OpenCase:
    id: int
    stage: str
    stage_since: date
    opened_on: date
    calendar: str
    playbook: str
    version: str
    school: str
    urn: str
    authority_id: int
    authority: str
    lead: _Person | None
    ip: _Person | None
    deadlines: list[_LiveDeadline] = field(default_factory=list)


def _person(name: str | None, email: str | None, language: str | None) -> _Person | None:
    return _Person(name or email, email, language or "en") if email else None


class _Caseload:
    """Every open case with its people and live deadlines, read in three queries."""

    def __init__(self, session: Session, deadline_ids: Sequence[int] | None = None) -> None:
        lead, ip = aliased(Person), aliased(Person)
        rows = session.execute(
            select(Case.id, Case.stage, Case.stage_since, Case.opened_on, Case.calendar, Case.playbook,
                   Case.playbook_version.label("version"), School.name.label("school"), School.urn, School.authority_id,
                   Authority.name.label("authority"),
                   lead.name.label("lead_name"), lead.email.label("lead_email"), lead.language.label("lead_language"),
                   ip.name.label("ip_name"), ip.email.label("ip_email"), ip.language.label("ip_language"))
            .join(School, School.id == Case.school_id).join(Authority, Authority.id == School.authority_id)
            .outerjoin(lead, lead.id == Case.lead_id).outerjoin(ip, ip.id == Case.ip_id)
            .where(case_has_duties())
        ).all()
        self.cases = {
            r.id: _OpenCase(r.id, r.stage, r.stage_since, r.opened_on, r.calendar, r.playbook, r.version, r.school, r.urn,
                            r.authority_id, r.authority,
                            _person(r.lead_name, r.lead_email, r.lead_language), _person(r.ip_name, r.ip_email, r.ip_language))
            for r in rows
        }
        live = (
            select(Deadline.id, Deadline.case_id, Deadline.kind, Deadline.due, Deadline.status, Deadline.explanation,
                   Deadline.counted_from, Deadline.amount, Deadline.unit, Deadline.basis, Deadline.explanation_cy)
            .join(Case, Case.id == Deadline.case_id)
            .where(case_has_duties(), deadline_is_live())
            .order_by(Deadline.due, Deadline.id)
        )
        if deadline_ids is not None:
            live = live.where(Deadline.id.in_(list(deadline_ids)))
        for d in session.execute(live):
            self.cases[d.case_id].deadlines.append(_LiveDeadline(d[0], *d[2:]))  # every column but the case
        # Who holds each oversight role in each authority: a case's reminders go to its own authority's.
        self.by_role: dict[tuple[int, str], list[_Person]] = defaultdict(list)
        for person in session.execute(select(Person.name, Person.email, Person.language, PersonRole.authority_id, PersonRole.role)
                                      .join(PersonRole, PersonRole.person_id == Person.id)
                                      .where(PersonRole.role.in_(OVERSIGHT)).order_by(Person.id)):
            self.by_role[(person.authority_id, person.role)].append(_Person(person.name, person.email, person.language))
        self._playbooks: dict[tuple[str, str], Playbook] = {}
        self._calendars: dict[str, TermCalendar] = {}
        self._welsh_names: dict[int, str] = {}
        self._contexts: dict[int, dict[str, Any]] = {}
        self._welsh_contexts: dict[int, dict[str, Any]] = {}
        self._templates: dict[str, jinja2.Template] = {}
        self.session = session

    def context(self, case: _OpenCase, language: str = Language.ENGLISH) -> dict[str, Any]:
        """What an email says of a case: its stage by its title, never an internal code (in
        Welsh: its Welsh title, date and authority). Read once a case and language and shared
        by its emails (each copies it into its own)."""
        said = self._contexts if language == Language.ENGLISH else self._welsh_contexts
        if case.id not in said:
            stage = self.playbook(case).stages.get(case.stage, case.stage)
            said[case.id] = {
                "case": {"id": case.id, "stage": translated(stage, language), "stage_since_in_words": in_words(case.stage_since, language)},
                "school": {"name": case.school, "urn": case.urn},
                "authority": case.authority if language == Language.ENGLISH else self.welsh_name(case)}
        return said[case.id]

    def template(self, name: str) -> jinja2.Template:
        """An email template, found once a sweep (an LA's own copy, else the shipped one)."""
        if name not in self._templates:
            self._templates[name] = email_template(name)
        return self._templates[name]

    def welsh_name(self, case: _OpenCase) -> str:
        """The case's authority as a Welsh email signs it: its letterhead's Welsh name, if it gives one."""
        if case.authority_id not in self._welsh_names:
            found = self.session.get(Authority, case.authority_id)
            self._welsh_names[case.authority_id] = name_in(found, Language.WELSH) if found else case.authority
        return self._welsh_names[case.authority_id]

    def playbook(self, case: _OpenCase) -> Playbook:
        key = (case.playbook, case.version)
        if key not in self._playbooks:
            self._playbooks[key] = pinned_playbook(self.session, *key)
        return self._playbooks[key]

    def calendar(self, case: _OpenCase) -> TermCalendar:
        if case.calendar not in self._calendars:
            self._calendars[case.calendar] = calendar_named(case.calendar)
        return self._calendars[case.calendar]

    def recipients(self, case: _OpenCase, roles: Iterable[Role]) -> list[_Person]:
        """The people holding the roles on this case; the lead when nobody does, so no
        reminder is lost for want of an IP on record."""
        found: dict[str, _Person] = {}
        for role in roles:
            people = [case.ip] if role is Role.IP else [case.lead] if role is Role.LEAD else self.by_role.get((case.authority_id, role), [])
            for person in people:
                if person is not None:
                    found.setdefault(person.email, person)
        if not found and case.lead is not None:
            found[case.lead.email] = case.lead
        return list(found.values())


def _completing_actions(book: Playbook, kind: str) -> list[str]:
    """The titles of the actions that meet a deadline, as a reminder names them."""
    return [a.title for a in book.actions.values() if kind in a.completes]


def _reminders(load: _Caseload, rules: ReminderRules, on: date, report: SweepReport) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    offsets: dict[tuple[str, str, date], int | None] = {}
    templates = {"en": load.template("reminder"), "cy": load.template("reminder.cy")}
    welsh_explanations: dict[int, str] = {}  # counted once a deadline, whoever of its people reads Welsh
    meeting: dict[tuple[str, str, str], list[str]] = {}  # the actions meeting a kind, once a playbook version
    for case in load.cases.values():
        try:
            calendar = load.calendar(case)
        except CaseworkError as exc:
            report.problems[case.id] = str(exc)
            continue
        for deadline in case.deadlines:
            deadline_id, kind, due, explanation = deadline.id, deadline.kind, deadline.due, deadline.explanation
            rule = rules.for_kind(kind)
            memo = (case.calendar, kind, due)
            if memo not in offsets:
                offsets[memo] = rule.offset_due(due, on, calendar)
            offset = offsets[memo]
            if offset is None:
                continue
            overdue = offset > 0
            days = calendar.count_days(due, on, Basis.WORKING) if overdue else calendar.count_days(on, due, Basis.WORKING)
            context = load.context(case)
            for person in load.recipients(case, rule.to):
                language = person.language if person.language in templates else "en"
                said: dict[str, Any]
                title, when = rule.title_in(language), in_words(due, language)
                if language == "cy":  # the same count, said in Welsh (``welsh.explained``)
                    subject = (f"HWYR: {title} — {case.school} (roedd yn ddyledus {when})" if overdue
                               else f"Nodyn atgoffa: {title} — {case.school} (yn ddyledus {when})")
                    if deadline_id not in welsh_explanations:
                        welsh_explanations[deadline_id] = _welsh_explanation(deadline, calendar)
                    said = {"explanation": welsh_explanations[deadline_id], "authority": load.welsh_name(case)}
                else:
                    subject = (f"OVERDUE: {title} — {case.school} (was due {when})" if overdue
                               else f"Reminder: {title} — {case.school} (due {when})")
                    known = (case.playbook, case.version, kind)
                    if known not in meeting:
                        meeting[known] = _completing_actions(load.playbook(case), kind)
                    said = {"explanation": explanation, "actions": meeting[known]}
                body = render_email(templates[language], {
                    **context, "recipient": {"name": person.name, "email": person.email},
                    "title": title, "overdue": overdue, "days": days, "due_in_words": when, "actions": [], **said,
                })
                rows.append({"key": f"deadline:{deadline_id}:{offset:+d}:{person.email}", "kind": "reminder",
                             "case_id": case.id, "deadline_id": deadline_id, "recipient_email": person.email,
                             "recipient_name": person.name, "subject": subject, "body": body})
    return rows


def _welsh_explanation(deadline: _LiveDeadline, calendar: TermCalendar) -> str:
    """How the deadline was counted, said in Welsh (in English when it cannot be said again)."""
    return welsh_explanation(calendar, deadline.counted_from, deadline.amount, deadline.unit, deadline.basis, deadline.due,
                             deadline.explanation_cy) or deadline.explanation


def _review_history(session: Session) -> dict[int, list[tuple[date, float]]]:
    """Each open case's progress reviews in date order, as (held on, mean RAG score)."""
    reviews: dict[int, dict[int, tuple[date, list[int]]]] = defaultdict(dict)
    for meeting_id, case_id, held_on, rating in session.execute(
        select(Meeting.id, Meeting.case_id, Meeting.held_on, RagJudgement.rating)
        .join(RagJudgement, RagJudgement.meeting_id == Meeting.id)
        .join(Case, Case.id == Meeting.case_id)
        .where(case_is_open(), Meeting.kind == MeetingKind.PROGRESS_REVIEW, Meeting.held_on.is_not(None), meeting_is_live())
    ):
        reviews[case_id].setdefault(meeting_id, (held_on, []))[1].append(RAG_SCORE[Rag(rating)])
    return {case_id: sorted((held, sum(scores) / len(scores)) for held, scores in meetings.values())
            for case_id, meetings in reviews.items()}


_AlertIdentity = tuple[int, str, str]  # case, rule, cause


def _escalate(session: Session, load: _Caseload, on: date, actor: str, report: SweepReport) -> list[dict[str, Any]]:
    """Raise the alerts whose cause is new, resolve those whose cause has gone; returns the
    outbox rows telling the people the rules name.

    An alert whose cause went away and came back is the same row reopened (the table keeps
    one row per case, rule and cause), and its people are told again. Long because raising,
    reopening and resolving share the one read of every alert.
    """
    history = _review_history(session)
    known = {(a.case_id, a.kind, a.key): a for a in session.execute(  # term-date alerts end when the change is applied
        select(Alert).join(Case, Case.id == Alert.case_id).where(case_is_open(), Alert.kind != TERM_DATES_ALERT)
    ).scalars()}
    firing: set[_AlertIdentity] = set()
    rows: list[dict[str, Any]] = []
    new_alerts: list[dict[str, Any]] = []
    events: list[audit.Entry] = []
    for case in load.cases.values():
        book = load.playbook(case)
        if not book.escalations or case.id in report.problems:
            continue
        progress = CaseProgress(case.id, case.stage, case.opened_on,
                                [LiveDeadline(d.id, d.kind, d.due) for d in case.deadlines], history.get(case.id, []))
        try:
            due = escalations_due(book.escalations, progress, on, load.calendar(case))
        except Exception as exc:  # noqa: BLE001 - one case's fault is reported for it; the others are swept
            report.problems[case.id] = f"{type(exc).__name__}: {exc}"
            continue
        for fired in due:
            identity = (case.id, fired.rule.name, fired.key)
            firing.add(identity)
            alert = known.get(identity)
            if alert is not None and alert.resolved_on is None:
                continue
            recipients = load.recipients(case, fired.rule.to)
            detail = f"{fired.rule.message}. {fired.detail}"
            detail_cy = _detail_cy(fired) if load.calendar(case).jurisdiction is Jurisdiction.WALES else None
            if alert is None:
                new_alerts.append({"case_id": case.id, "kind": fired.rule.name, "key": fired.key, "raised_on": on,
                                   "to_role": ",".join(r.value for r in fired.rule.to), "detail": detail, "detail_cy": detail_cy})
            else:
                alert.raised_on, alert.resolved_on, alert.detail, alert.detail_cy = on, None, detail, detail_cy
            to = [p.email for p in recipients]
            events.append(audit.Entry(actor, "alert_raised", case.id, on, after={"alert": fired.rule.name, "cause": fired.key, "to": to}))
            report.alerts_raised.append({"case_id": case.id, "alert": fired.rule.name, "cause": fired.key, "to": to})
            rows += _alert_emails(load, case, fired, recipients, on)
    if new_alerts:
        session.execute(insert(table_of(Alert)), new_alerts)
    if events:
        audit.record_many(session, events)
    gone = [a.id for identity, a in known.items()
            if a.resolved_on is None and identity not in firing and identity[0] not in report.problems]
    if gone:
        session.execute(update(Alert).where(Alert.id.in_(gone)).values(resolved_on=on))
    report.alerts_resolved = len(gone)
    return rows


def _detail_cy(fired: Firing) -> str:
    """An alert's message and detail in Welsh, as its Welsh email says them."""
    return f"{translated(fired.rule.message, Language.WELSH)}. {fired.detail_cy(_welsh_title(fired))}"


def _welsh_title(fired: Firing) -> str:
    """The Welsh name of the deadline an alert is about ("" for an alert about reviews)."""
    return reminder_rules().for_kind(fired.rule.deadline).title_in(Language.WELSH) if fired.rule.deadline else ""


def _alert_emails(load: _Caseload, case: _OpenCase, fired: Firing, recipients: Sequence[_Person], on: date) -> list[dict[str, Any]]:
    """One email per person an alert names, in their language, keyed by the day it was raised
    so a reopened alert is sent again and a second sweep that day sends nothing."""
    rows = []
    for person in recipients:
        if person.language == Language.WELSH:
            message = translated(fired.rule.message, Language.WELSH)
            subject, template = f"Angen gweithredu: {case.school} — {message}", "alert.cy"
            context = {**load.context(case, Language.WELSH), "message": message, "detail": fired.detail_cy(_welsh_title(fired))}
        else:
            subject, template = f"Action needed: {case.school} — {fired.rule.message}", "alert"
            context = {**load.context(case), "message": fired.rule.message, "detail": fired.detail}
        rows.append({
            "key": f"alert:{case.id}:{fired.rule.name}:{fired.key}:{on.isoformat()}:{person.email}", "kind": "alert",
            "case_id": case.id, "deadline_id": None, "recipient_email": person.email, "recipient_name": person.name,
            "subject": subject[:500],
            "body": render_email(load.template(template), {**context, "recipient": {"name": person.name, "email": person.email}}),
        })
    return rows


def _digests(load: _Caseload, rules: ReminderRules, on: date) -> list[dict[str, Any]]:
    """Monday's (by default) digest to each IP: their deadlines in the days ahead and any overdue."""
    if on.weekday() != rules.digest.weekday:
        return []
    horizon = on + timedelta(days=rules.digest.days_ahead)
    items: dict[str, tuple[_Person, list[dict[str, Any]]]] = {}
    for case in load.cases.values():
        for person in load.recipients(case, rules.digest.to):
            welsh = person.language == "cy"  # their digest in Welsh: titles, dates, the authority's name
            for d in case.deadlines:
                if d.due <= horizon:
                    items.setdefault(person.email, (person, []))[1].append({
                        "due": d.due, "due_in_words": in_words(d.due, person.language),
                        "overdue": d.status == DeadlineStatus.OVERDUE or d.due < on,
                        "title": rules.for_kind(d.kind).title_in(person.language), "school": case.school, "case_id": case.id,
                        "authority": load.welsh_name(case) if welsh else case.authority,
                    })
    year, week, _ = on.isocalendar()
    rows = []
    for email, (person, entries) in items.items():
        entries.sort(key=lambda e: (e["due"], e["case_id"]))
        authorities = sorted({e["authority"] for e in entries})
        welsh = person.language == "cy"
        week_of = in_words(on, person.language)
        rows.append({
            "key": f"digest:{year}-W{week:02d}:{email}", "kind": "digest", "case_id": None, "deadline_id": None,
            "recipient_email": email, "recipient_name": person.name,
            "subject": f"Eich terfynau amser gwaith achos, wythnos {week_of}" if welsh else f"Your casework deadlines, week of {week_of}",
            "body": render_email(load.template("digest.cy" if welsh else "digest"), {
                "recipient": {"name": person.name, "email": email}, "items": entries, "week_in_words": week_of,
                "authority": (welsh_listed if welsh else listed)(authorities), "several": len(authorities) > 1,
                "overdue": any(e["overdue"] for e in entries)}),
        })
    return rows


def queue_reminders(session: Session, on: date, deadline_ids: Sequence[int]) -> int:
    """Queue the reminders due on ``on`` for these deadlines only: what the scheduler's
    per-deadline job does at the reminder's hour, between two daily sweeps."""
    report = SweepReport(on)
    return queue(session, _reminders(_Caseload(session, deadline_ids), reminder_rules(), on, report))


def deadline_sweep(session: Session, on: date, actor: str = "scheduler") -> SweepReport:
    """Sweep every open case as of ``on`` in the caller's transaction."""
    report = SweepReport(on)
    report.overdue = rows_changed(session.execute(
        update(Deadline).where(Deadline.status == DeadlineStatus.OPEN, Deadline.due < on)
        .values(status=DeadlineStatus.OVERDUE).execution_options(synchronize_session=False)
    ))
    load = _Caseload(session)
    rules = reminder_rules()
    reminders = _reminders(load, rules, on, report)
    alerts = _escalate(session, load, on, actor, report)
    digests = _digests(load, rules, on)
    report.term_date_alerts = raise_term_date_alerts(session, on, actor)
    report.reminders_queued = queue(session, reminders)
    queue(session, alerts)
    report.digests_queued = queue(session, digests)
    report.sessions_forgotten = forget_dead_sessions(session)  # the daily tidy of signed-in browsers long gone
    audit.record(session, actor, "deadline_sweep", effective_on=on, after={
        "overdue": report.overdue, "alerts": len(report.alerts_raised), "alerts_resolved": report.alerts_resolved,
        "reminders": report.reminders_queued, "digests": report.digests_queued, "sessions_forgotten": report.sessions_forgotten,
    })
    return report
