"""The one shape of everything the product shows: a case, a deadline, a document, a person…

The CLI prints these (``--json`` is ``model_dump(mode="json")``), flows return them and the
REST API will serve them, so a script sees the same fields whichever door it uses. They
are built only by the read layer (``models.services.views``) and the use cases; nothing
else turns rows into dictionaries.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ActionChoice",
    "ActionOutcome",
    "AlertView",
    "AppliedAction",
    "CaseAlertView",
    "CaseRag",
    "CaseRow",
    "CaseSummary",
    "ClassificationView",
    "Count",
    "Dashboard",
    "DeadlineSet",
    "DeadlineView",
    "DocumentMade",
    "DocumentView",
    "EventView",
    "FieldChoice",
    "MyWork",
    "NotificationView",
    "PersonView",
    "PriorityRag",
    "PriorityView",
    "SchoolRef",
    "SchoolView",
    "StageTime",
]


class Schema(BaseModel):
    """Frozen: a view is a snapshot of the records, never edited on its way out."""

    model_config = ConfigDict(frozen=True)


class SchoolRef(Schema):
    urn: str
    name: str
    type: str


class EventView(Schema):
    seq: int
    on: date | None
    at: datetime
    actor: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


class DeadlineView(Schema):
    id: int
    case_id: int
    kind: str
    due: date
    basis: str
    counted_from: date
    amount: int
    unit: str
    calendar: str
    calendar_version: str
    explanation: str
    status: str
    explanation_cy: str | None = None  # a planned duty's placing in Welsh, kept when it was planned
    case_calendar: str | None = None  # the case's term dates, on which a Welsh page says the count again
    school: str | None = None
    closed_on: date | None = None
    closed_reason: str | None = None  # met or cancelled by which action, or the case closed
    met_by: str | None = None  # the action open now that meets it: where its page links
    authority: str | None = None  # the case's authority, for someone working for several


class AlertView(Schema):
    kind: str
    raised_on: date
    to: str
    detail: str
    resolved_on: date | None
    detail_cy: str | None = None  # the same in Welsh, for a case on Welsh term dates


class ClassificationView(Schema):
    scheme: str
    value: str
    effective_on: date
    set_by: str
    evidence: str | None
    dissent: str | None
    id: int | None = None
    case_id: int | None = None  # the case that recorded it, if one did
    withdrawn_on: date | None = None  # recorded in error: it classifies nothing
    withdrawn_reason: str | None = None


class PriorityView(Schema):
    number: int
    title: str
    success_criteria: str
    lead: str | None
    target_on: date | None
    latest_rag: str | None  # the judgement of the most recent review that judged it
    resources: str | None = None
    withdrawn_on: date | None = None  # a withdrawn priority leaves reviews and reports
    withdrawn_reason: str | None = None


class MeetingView(Schema):
    """A meeting, review or visit held, as the case page lists it for correction."""

    id: int
    kind: str
    held_on: date | None
    attendees: str | None = None
    recorded_by: str | None = None
    withdrawn_on: date | None = None
    withdrawn_reason: str | None = None


class NoteView(Schema):
    id: int
    written_on: date
    author: str
    text: str


class EvidenceView(Schema):
    id: int
    name: str
    kind: str
    size: int
    sha256: str
    description: str | None = None
    uploaded_by: str
    uploaded_at: datetime
    scanned: bool


class CaseSummary(Schema):
    """A case as ``scc case show`` prints it: stage, school, playbook, events, deadlines,
    alerts, classifications and priorities."""

    id: int
    stage: str
    stage_title: str
    stage_since: date
    school: SchoolRef
    playbook: str
    playbook_version: str
    jurisdiction: str
    calendar: str
    lead: str | None
    ip: str | None
    lead_name: str | None = None
    ip_name: str | None = None
    opened_on: date
    closed_on: date | None
    watch_until: date | None = None  # closed, and the school watched in the year after exit until this day
    reopened_from: int | None = None  # the case whose watch this case reopened
    reopened_as: int | None = None  # the case that reopened this one's intervention
    reason: str
    events: list[EventView]
    deadlines: list[DeadlineView]
    alerts: list[AlertView]
    classifications: list[ClassificationView]
    priorities: list[PriorityView]  # those still pursued, which reviews judge
    withdrawn_priorities: list[PriorityView] = []
    meetings: list[MeetingView] = []  # held, newest first, those withdrawn too
    notes: list[NoteView] = []  # newest first
    evidence: list[EvidenceView] = []  # newest first


class CaseRow(Schema):
    """A case as a line of the case list."""

    id: int
    stage: str
    stage_title: str
    stage_since: date
    school: str
    urn: str
    school_type: str
    playbook: str
    lead: str | None  # email
    ip: str | None  # email
    opened_on: date
    closed_on: date | None
    overdue: int  # live deadlines past due
    authority: str | None = None  # the school's authority
    lead_name: str | None = None
    ip_name: str | None = None
    watch_until: date | None = None
    reopened_from: int | None = None


class Count(Schema):
    name: str
    count: int


class StageTime(Schema):
    """How long cases sat in one stage, in days."""

    stage: str
    cases: int
    median_days: int
    longest_days: int


class PriorityRag(Schema):
    number: int
    title: str
    ratings: list[str | None]  # one per review of the case, None where the review did not judge it


class CaseRag(Schema):
    """A case's RAG judgements over its reviews, priority by priority."""

    case_id: int
    school: str
    reviews: list[date]
    priorities: list[PriorityRag]


class Dashboard(Schema):
    """A term's figures, counted over the same cases as the termly report."""

    term: str
    as_of: date
    cases: int
    category: str | None
    categories: list[str]
    by_stage: list[Count]
    by_school_type: list[Count]
    overdue_by_kind: list[Count]
    overdue_by_lead: list[Count]
    time_in_stage: list[StageTime]
    exits: list[Count]
    rag_history: list[CaseRag]  # one page of the reviewed cases
    rag_cases: int  # reviewed cases in all
    rag_page: int
    rag_pages: int


class CaseAlertView(Schema):
    case_id: int
    school: str
    kind: str
    detail: str
    raised_on: date
    authority: str | None = None
    detail_cy: str | None = None


class MyWork(Schema):
    """What a person's cases need from them, as of a day: the first few of each list, and
    how many there are in all."""

    overdue: list[DeadlineView]
    overdue_total: int
    due_soon: list[DeadlineView]
    due_soon_total: int
    alerts: list[CaseAlertView]
    alerts_total: int
    meetings: list[DeadlineView]
    meetings_total: int


class FieldChoice(Schema):
    name: str
    type: str
    required: bool
    options: list[str]
    default: str | None
    help: str | None  # for the command line: may name its syntax
    label: str = ""  # for people: the question a page asks
    hint: str = ""  # for people: what a page says under the question
    option_labels: dict[str, str] = {}  # option -> what a page shows for it


class ActionChoice(Schema):
    """An action open from a case's stage, with the fields its form or ``--set`` needs."""

    action: str
    title: str
    to_stage: str | None
    roles: list[str]
    fields: list[FieldChoice]
    guards: list[str]
    documents: list[str]
    blocked: str | None = None  # why it cannot be taken now, when it cannot
    # … as the refusal itself, for a page to say in its reader's language (not sent by the API)
    blocked_refusal: Any = Field(default=None, exclude=True)


class DeadlineSet(Schema):
    kind: str
    due: date
    basis: str
    explanation: str


class TrackerRow(Schema):
    """A row of a tracker moved in: the case it opens (or opened), or why it is refused."""

    line: int
    urn: str
    school: str = ""
    stage: str = ""
    stage_title: str = ""
    deadlines: list[DeadlineSet] = []
    refused: str | None = None
    case_id: int | None = None


class DocumentMade(Schema):
    kind: str
    version: int
    path: str


class AppliedAction(Schema):
    """What one action changed: its stage, the deadlines it set, the letters it produced
    and how many of the case team were told."""

    action: str
    stage: str
    deadlines: list[DeadlineSet]
    documents: list[DocumentMade]
    documents_without_template: list[str]
    event: int
    notified: int


class ActionOutcome(Schema):
    """An action as its taker sees it: the case after it, and what it changed."""

    case: CaseSummary
    applied: AppliedAction


class DocumentView(Schema):
    id: int
    kind: str
    version: int
    path: str
    sha256: str
    recipients: list[Any]
    generated_at: datetime
    corrected_by: int | None = None  # the correction it was made before; a new version is due
    status: str = "final"  # draft, issued, final (not a letter) or withdrawn
    issued_on: date | None = None
    reference: str | None = None
    meeting_on: date | None = None  # the day of the meeting, review or visit it is of, if it is of one
    meeting_version: int | None = None  # its version among that meeting's documents (made again)


class DeliveryView(Schema):
    role: str
    name: str
    method: str  # email, post, hand
    sent_on: date
    email: str | None = None
    email_status: str | None = None  # the outbox row's status for an emailed copy: queued, sent, failed


class FreeText(Schema):
    """A letter's free text its draft may edit: one text field of the action that called for it."""

    name: str
    label: str
    help: str
    required: bool
    text: str


class LetterView(Schema):
    """A letter as its page and the API show it: the draft's text, what may be edited, who it
    goes to, and once issued how each of them was sent it."""

    document: DocumentView
    case_id: int
    school: str
    title: str
    html: str  # the letter read from its .docx
    free_text: list[FreeText]
    uploaded_by: str | None = None
    issued_by: str | None = None
    made_on: date | None = None  # the day its action took effect: the earliest it may be issued
    deliveries: list[DeliveryView] = []


class Sending(Schema):
    """How one recipient is sent a letter being issued."""

    method: Literal["email", "post", "hand"]
    on: date | None = None  # post or hand: the day it went (the day of issue when left out)


class IssueLetter(Schema):
    on: date  # the day the letter is issued and dated
    send: dict[str, Sending]  # by recipient role: every recipient of the letter


class RecordedAction(Schema):
    """An action as it stands in the case's history, to correct it: its fields as the
    NAME=VALUE strings its form takes, and the day it took effect."""

    seq: int
    choice: ActionChoice
    on: date
    values: dict[str, str]


class Amendment(Schema):
    fields: dict[str, str] = {}  # NAME=VALUE of the fields to correct ("" clears an optional one)
    on: date | None = None  # the corrected day it took effect
    reason: str


class EditLetter(Schema):
    text: dict[str, str]  # free text by field name


class AuthorityView(Schema):
    """A local authority of the installation, and how its cases and letters are made."""

    code: str
    name: str
    la_code: str | None
    playbook: str
    calendar: str
    letterhead: str
    sender: str | None = None
    role: str | None = None  # the role of the person asking, there


class PersonView(Schema):
    name: str
    email: str
    role: str
    organisation: str | None = None
    authorities: list[tuple[str, str]] = []  # (authority's name, role there) of the authorities the reader sees
    language: str = "en"  # of their emails: en or cy


class SchoolView(Schema):
    urn: str
    name: str
    type: str
    phase: str | None
    la: str | None
    diocese: str | None
    religious_character: str | None
    head: str | None  # the email of the head assigned
    chair: str | None
    clerk: str | None
    ip: str | None
    head_name: str | None = None  # the head's name: the one assigned, else as GIAS gives it
    address: str | None = None
    trust: str | None = None  # an academy's trust, to which its letters go
    trust_address: str | None = None
    diocesan_authority: str | None = None  # by its proper name: as recorded, else from the diocese
    foundation_appointer: str | None = None
    calendar: str | None = None  # the school's own term dates; none: the authority's
    names: dict[str, str] = {}  # place (head, chair, clerk, ip) -> the name of who holds it
    language: str = "en"  # of its letters: en, cy (Welsh) or bilingual


class NotificationView(Schema):
    id: int
    key: str
    kind: str
    case_id: int | None
    deadline_id: int | None
    to: str
    name: str | None
    subject: str
    status: str
    attempts: int
    not_before: datetime | None
    sent_at: datetime | None
    last_error: str | None
