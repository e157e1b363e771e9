"""An iCalendar feed of one person's deadlines and meetings, for Outlook or any calendar.

Each live deadline of a case the person leads or partners (or, for a senior officer or
principal IP, every open case) is an all-day event on its due date, with a reminder the
person chooses on their page (``Person.alarm_days``, ``accounts.ALARM_DAYS`` by default); each meeting
held is an event on its day. Each event links to its case's page when the feed is read
through the web server. UIDs are stable (``deadline-ID@…``), so a calendar subscribed to the
feed updates events in place when a deadline moves or is met, instead of duplicating them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from models.db.authorities import PersonRole
from models.db.cases import Case, Deadline, Meeting
from models.db.queries import case_has_duties, deadline_is_live, meeting_is_live
from models.db.schools import School
from models.db.session import transaction
from models.errors import NotFound
from models.messages import N_
from models.rules.roles import OVERSIGHT
from models.rules.titles import MEETING_WORDS
from models.services.accounts import alarm_days, person_for_feed
from models.services.directory import person_by_email
from models.settings.files import reminder_rules
from models.vocab import DeadlineStatus

__all__ = ["calendar_feed", "feed_for"]

DOMAIN = "scc-casework"


def calendar_feed(session: Session, email: str, now: datetime | None = None, base_url: str | None = None) -> bytes:
    """The person's feed as RFC 5545 bytes; NotFound when nobody has that email. ``base_url``:
    the web server's address, for each event's link to its case."""
    person = person_by_email(session, email)
    alarm = alarm_days(person)
    stamp = now or datetime.now(UTC)
    # Their own cases, and every case of an authority where they oversee casework.
    overseen = select(School.id).join(PersonRole, PersonRole.authority_id == School.authority_id).where(
        PersonRole.person_id == person.id, PersonRole.role.in_(OVERSIGHT))
    cases = select(Case).where(case_has_duties(), or_(Case.lead_id == person.id, Case.ip_id == person.id,
                                                      Case.school_id.in_(overseen))).options(selectinload(Case.school))
    by_id = {c.id: c for c in session.execute(cases).scalars()}
    feed = Calendar()
    feed.add("prodid", "-//SCC Casework//deadlines and meetings//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", f"Casework: {person.name}")
    rules = reminder_rules()
    for deadline in session.execute(
        select(Deadline).where(Deadline.case_id.in_(by_id), deadline_is_live()).order_by(Deadline.due)
    ).scalars():
        school = by_id[deadline.case_id].school.name
        overdue = " (OVERDUE)" if deadline.status == DeadlineStatus.OVERDUE else ""
        event = _event(f"deadline-{deadline.id}@{DOMAIN}", deadline.due, stamp,
                       f"{rules.for_kind(deadline.kind).title}{overdue}: {school}",
                       f"Case {deadline.case_id}, {school}. {deadline.explanation}", _link(base_url, deadline.case_id))
        if alarm:
            reminder = Alarm()
            reminder.add("action", "DISPLAY")
            reminder.add("description", f"{rules.for_kind(deadline.kind).title}: {school}")
            reminder.add("trigger", timedelta(days=-alarm))
            event.add_component(reminder)
        feed.add_component(event)
    for meeting in session.execute(
        select(Meeting).where(Meeting.case_id.in_(by_id), Meeting.held_on.is_not(None), meeting_is_live()).order_by(Meeting.held_on)
    ).scalars():
        assert meeting.held_on is not None
        school = by_id[meeting.case_id].school.name
        feed.add_component(_event(
            f"meeting-{meeting.id}@{DOMAIN}", meeting.held_on, stamp,
            f"{MEETING_WORDS.get(meeting.kind, meeting.kind)}: {school}",
            f"Case {meeting.case_id}, {school}. {meeting.notes or ''}".strip(), _link(base_url, meeting.case_id),
        ))
    return bytes(feed.to_ical())


def _link(base_url: str | None, case_id: int) -> str | None:
    return f"{base_url.rstrip('/')}/cases/{case_id}" if base_url else None


def _event(uid: str, day: date, stamp: datetime, summary: str, description: str, url: str | None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    if url:
        event.add("url", url)
    return event


def feed_for(token: str, base_url: str | None = None) -> bytes:
    """The feed a secret calendar address names; NotFound once revoked or when mistyped."""
    with transaction() as session:
        person = person_for_feed(session, token)
        if person is None:
            raise NotFound(N_("no such calendar: the address was revoked or mistyped; make a new one on your page"))
        return calendar_feed(session, person.email, base_url=base_url)
