"""``/api/v1``: the REST API. Routes translate HTTP to the use cases of the application layer
(``models.services``, and ``flows.case_flows`` for a change to a case) and back; every rule
lives there and every response is one of ``models.schemas``.

Two ways to say who is acting:
- an API token (``scc token create EMAIL``) sent as ``Authorization: Bearer …``: the token's
  person, with the same roles as on the web pages and in the playbook;
- the ``scc`` command beside this server: the secret ``scc serve`` recorded for its own
  account (``X-SCC-Link``) and the person at the terminal (``X-SCC-As``, resolved as a
  command resolves ``--as``: the person named, else the one lead, else setting up).
A refusal is a 4xx with ``{"detail": "one line"}`` and nothing written.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import MutableMapping, Sequence
from dataclasses import asdict
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from flows import case_flows, catalog
from models.errors import InvalidInput, NotFound
from models.schemas import (
    ActionChoice,
    ActionOutcome,
    Amendment,
    AuthorityView,
    CaseRow,
    CaseSummary,
    DeadlineView,
    DocumentView,
    EditLetter,
    IssueLetter,
    LetterView,
    NotificationView,
    PersonView,
    RecordedAction,
    SchoolView,
    TrackerRow,
)
from models.services import administration, case_changes, letters, reading
from models.services.access import Viewer, terminal_viewer, token_viewer
from models.services.case_file import EVIDENCE_LIMIT
from models.services.directory import SchoolDetails, parse_school_type
from models.services.exports import FORMATS as EXPORT_TYPES
from models.settings.environment import today
from models.settings.server_link import LINK_HEADER, USER_HEADER

__all__ = ["api_viewer", "router"]

router = APIRouter(prefix="/api/v1", tags=["cases"])
_bearer = HTTPBearer(auto_error=False, description="a token from `scc token create EMAIL`")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")  # a playbook's or calendar's name


def api_viewer(scope: MutableMapping[str, Any], link_secret: str | None) -> Viewer | None:
    """The person a request to the API acts as: a live token's, or, with this server's link
    secret, the terminal's beside it; None otherwise. ``server.edge`` asks this before a
    request's body is read; the routes reuse its answer."""
    headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope.get("headers", [])}
    link = headers.get(LINK_HEADER.lower())
    if link is not None and link_secret and hmac.compare_digest(link.encode(), link_secret.encode()):
        return terminal_viewer(headers.get(USER_HEADER.lower()) or None, use_environment=False)
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token_viewer(token.strip()) if scheme.lower() == "bearer" and token.strip() else None


def acting(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
           link: Annotated[str | None, Header(alias=LINK_HEADER, include_in_schema=False)] = None,
           user: Annotated[str | None, Header(alias=USER_HEADER, include_in_schema=False)] = None) -> Viewer:
    """The person acting (found by ``api_viewer``, once per request); 401 otherwise. The
    parameters put the bearer scheme and the terminal's headers in the API's description."""
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    if viewer is None:
        viewer = api_viewer(request.scope, getattr(request.app.state, "link_secret", None))
    if viewer is not None:
        return viewer
    raise HTTPException(401, "a valid API token is needed: send Authorization: Bearer <token from scc token create>",
                        headers={"WWW-Authenticate": "Bearer"})


Acting = Annotated[Viewer, Depends(acting)]


class NewCase(BaseModel):
    urn: str = Field(max_length=20)
    reason: str = Field(max_length=20000)
    on: date | None = None
    calendar: str | None = Field(default=None, max_length=500)
    playbook: str | None = Field(default=None, max_length=500)
    lead: str | None = Field(default=None, max_length=320)
    ip: str | None = Field(default=None, max_length=320)


class Reopening(BaseModel):
    reason: str = Field(max_length=20000)
    on: date | None = None


class ActionTaken(BaseModel):
    fields: dict[str, str] = Field(default_factory=dict, max_length=200)
    on: date | None = None


class PriorityCorrection(BaseModel):
    """Fields of a priority to change (title, success_criteria, lead, target_on, resources) and why."""

    fields: dict[str, str] = Field(default_factory=dict)
    reason: str = Field(max_length=20_000)


class Withdrawal(BaseModel):
    """Why a priority is withdrawn, or an action undone."""

    reason: str = Field(max_length=20_000)


class ActionsNow(BaseModel):
    id: int
    stage: str
    actions: list[ActionChoice]
    blocked: list[ActionChoice]


class ImportResult(BaseModel):
    added: int
    updated: int


class Password(BaseModel):
    password: str = Field(max_length=500)


class NewToken(BaseModel):
    email: str = Field(max_length=320)


class NewPerson(BaseModel):
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    role: str = Field(max_length=40)
    organisation: str | None = Field(default=None, max_length=200)
    authority: list[str] = Field(default=[], max_length=50)  # the codes of the authorities they hold the role in


class NewRole(BaseModel):
    role: str = Field(max_length=40)


class NewAuthority(BaseModel):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    la_code: str | None = Field(default=None, max_length=10)
    playbook: str | None = Field(default=None, max_length=100)
    calendar: str | None = Field(default=None, max_length=100)
    letterhead: str | None = Field(default=None, max_length=300)
    sender: str | None = Field(default=None, max_length=320)


class Places(BaseModel):
    head: str | None = Field(default=None, max_length=320)
    chair: str | None = Field(default=None, max_length=320)
    clerk: str | None = Field(default=None, max_length=320)
    ip: str | None = Field(default=None, max_length=320)


class NewSchool(Places):
    urn: str = Field(max_length=20)
    name: str = Field(max_length=200)
    type: str = Field(max_length=40)
    phase: str = Field(max_length=40)
    la: str = Field(max_length=200)
    diocese: str | None = Field(default=None, max_length=200)
    religious_character: str | None = Field(default=None, max_length=200)
    foundation_appointer: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    trust: str | None = Field(default=None, max_length=200)
    trust_address: str | None = Field(default=None, max_length=500)
    calendar: str | None = Field(default=None, max_length=200)
    la_code: str | None = Field(default=None, max_length=10)  # places the school in its authority
    authority: str | None = Field(default=None, max_length=40)  # or the authority's code


class SchoolRecord(BaseModel):
    """What the register does not hold; only the fields given change, and "" clears one."""

    model_config = ConfigDict(extra="forbid")  # a register field (name, type) is the GIAS import's to change

    trust: str | None = Field(default=None, max_length=200)
    trust_address: str | None = Field(default=None, max_length=500)
    diocesan_authority: str | None = Field(default=None, max_length=200)
    foundation_appointer: str | None = Field(default=None, max_length=200)
    calendar: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=20)  # of its letters: en, cy or bilingual


@lru_cache(maxsize=16)
def _adapter(schema: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[schema])  # type: ignore[valid-type]  # a schema of models.schemas


def _listed(schema: type[BaseModel], rows: Sequence[BaseModel]) -> Response:
    """A long list as JSON written by pydantic in one step: FastAPI would check every row
    against the response model again first (thousands of deadlines: a tenth of a second
    more; the route keeps its response model for the documentation)."""
    return Response(_adapter(schema).dump_json(list(rows)), media_type="application/json")


@router.get("/cases", response_model=list[CaseRow])
def list_cases(viewer: Acting, stage: str | None = None, overdue: bool = False) -> Response:
    return _listed(CaseRow, reading.cases(viewer, reading.CaseQuery(stage=stage, overdue=overdue)))


@router.post("/cases", response_model=CaseSummary, status_code=201)
def open_case(viewer: Acting, body: NewCase) -> CaseSummary:
    for what, name in (("playbook", body.playbook), ("calendar", body.calendar)):
        if name is not None and not NAME.fullmatch(name):
            # A path would let a caller probe the server's files: only the config folder's names.
            raise InvalidInput(f"{what}: give the name of a {what} of this installation (such as england), not a path")
    return case_flows.open_case(viewer, body.urn, body.reason, body.on, body.model_dump(include={"calendar", "playbook", "lead", "ip"}))


@router.get("/cases/{case_id}", response_model=CaseSummary)
def show_case(viewer: Acting, case_id: int) -> CaseSummary:
    return reading.case(viewer, case_id)


@router.post("/cases/{case_id}/reopen", response_model=CaseSummary, status_code=201)
def reopen_case(viewer: Acting, case_id: int, body: Reopening) -> CaseSummary:
    """Reopen intervention for a school watched after exit: a new case linked to this one."""
    return case_flows.reopen_case(viewer, case_id, body.reason, body.on)


@router.patch("/cases/{case_id}/priorities/{number}", response_model=CaseSummary)
def correct_priority(viewer: Acting, case_id: int, number: int, body: PriorityCorrection) -> CaseSummary:
    """Correct a priority's fields, with the reason; the audit log keeps what it said."""
    return case_flows.correct_priority(viewer, case_id, number, body.fields, body.reason)


@router.post("/cases/{case_id}/priorities/{number}/withdrawal", response_model=CaseSummary)
def withdraw_priority(viewer: Acting, case_id: int, number: int, body: Withdrawal) -> CaseSummary:
    """Withdraw a priority added in error or no longer pursued: it leaves reviews and reports."""
    return case_flows.correct_priority(viewer, case_id, number, {}, body.reason, withdraw=True)


@router.post("/cases/{case_id}/classifications/{classification_id}/withdrawal", response_model=CaseSummary)
def withdraw_classification(viewer: Acting, case_id: int, classification_id: int, body: Withdrawal) -> CaseSummary:
    """Withdraw a classification the case recorded in error: the deadlines it set are cancelled."""
    return case_flows.withdraw_classification(viewer, case_id, classification_id, body.reason)


@router.post("/cases/{case_id}/meetings/{meeting_id}/withdrawal", response_model=CaseSummary)
def withdraw_meeting(viewer: Acting, case_id: int, meeting_id: int, body: Withdrawal) -> CaseSummary:
    """Withdraw a meeting, review or visit recorded in error: the duty it met is due again."""
    return case_flows.withdraw_meeting(viewer, case_id, meeting_id, body.reason)


class NewNote(BaseModel):
    text: str = Field(max_length=20_000)
    on: date | None = None


@router.post("/cases/import", response_model=list[TrackerRow])
async def import_tracker(viewer: Acting, file: Annotated[UploadFile, File(description="a tracker: .csv or .xlsx with a header row")],
                         apply: bool = False) -> list[TrackerRow]:
    """Move live cases in from a spreadsheet: without apply, the dry run; with it, the cases opened."""
    data = await file.read(administration.MAX_UPLOAD + 1)
    moved = administration.import_tracker if apply else administration.check_tracker
    return moved(viewer, file.filename or "", data)


@router.post("/cases/{case_id}/notes", response_model=CaseSummary, status_code=201)
def add_note(viewer: Acting, case_id: int, body: NewNote) -> CaseSummary:
    """A dated, attributed note on the case."""
    return case_changes.add_note(viewer.email, case_id, body.text, body.on or today())


@router.post("/cases/{case_id}/evidence", response_model=CaseSummary, status_code=201)
async def add_evidence(viewer: Acting, case_id: int, file: Annotated[UploadFile, File(description="PDF, Office or image, at most 5 MB")],
                       description: Annotated[str | None, Form()] = None) -> CaseSummary:
    """A file kept with the case: its type checked by content, scanned when a scanner is set."""
    data = await file.read(EVIDENCE_LIMIT + 1)
    return case_changes.add_evidence(viewer.email, case_id, file.filename or "", data, description, today())


@router.get("/evidence/{evidence_id}", response_class=Response)
def evidence(viewer: Acting, evidence_id: int) -> Response:
    """A file kept with a case the token's person may see."""
    data, name = reading.evidence_file(viewer, evidence_id)
    return Response(data, media_type="application/octet-stream", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/letters/{document_id}", response_model=LetterView)
def letter(viewer: Acting, document_id: int) -> LetterView:
    """A letter: its text as HTML, the free text its draft may edit, its recipients, and once
    issued how and when each was sent it."""
    return reading.letter(viewer, document_id)


@router.patch("/letters/{document_id}", response_model=LetterView)
def edit_letter(viewer: Acting, document_id: int, body: EditLetter) -> LetterView:
    """A draft letter's free text edited (the draft made again)."""
    return case_flows.edit_letter(viewer, document_id, body.text)


@router.put("/letters/{document_id}/file", response_model=LetterView)
async def upload_letter(viewer: Acting, document_id: int,
                        file: Annotated[UploadFile, File(description="the letter edited in Word, .docx")]) -> LetterView:
    """A draft letter replaced by the version edited in Word (issued as it is)."""
    data = await file.read(letters.WORD_LIMIT + 1)
    return case_changes.upload_letter(viewer.email, document_id, file.filename or "", data)


@router.post("/letters/{document_id}/issue", response_model=LetterView)
def issue_letter(viewer: Acting, document_id: int, body: IssueLetter) -> LetterView:
    """Issue a draft letter: dated, fixed (sha256), each recipient's copy recorded as sent by
    email (queued with the letter attached), post or hand."""
    return case_flows.issue_letter(viewer, document_id, body.on, {role: (s.method, s.on) for role, s in body.send.items()})


@router.get("/cases/{case_id}/events/{seq}", response_model=RecordedAction)
def recorded_action(viewer: Acting, case_id: int, seq: int) -> RecordedAction:
    """An action as recorded (and as amended since): its fields as NAME=VALUE strings and its day."""
    return reading.recorded_action(viewer, case_id, seq)


@router.post("/cases/{case_id}/events/{seq}/amendment", response_model=CaseSummary)
def amend_action(viewer: Acting, case_id: int, seq: int, body: Amendment) -> CaseSummary:
    """Correct the fields or the day of an action recorded in error, with a reason: its records
    take the corrected values, its deadlines are counted again, its documents marked."""
    return case_flows.amend_action(viewer, case_id, seq, body.fields, body.on, body.reason)


@router.post("/cases/{case_id}/plan", response_model=CaseSummary)
def plan_case(viewer: Acting, case_id: int) -> CaseSummary:
    """This half-term's reviews, visits and TIG meetings planned for the case now."""
    return case_flows.plan_case(viewer, case_id)


@router.post("/cases/{case_id}/undo", response_model=CaseSummary)
def undo_action(viewer: Acting, case_id: int, body: Withdrawal) -> CaseSummary:
    """Undo the case's latest action taken in error (a senior officer): its stage and deadlines as they were."""
    return case_flows.undo_action(viewer, case_id, body.reason)


@router.get("/cases/{case_id}/actions", response_model=ActionsNow)
def case_actions(viewer: Acting, case_id: int) -> ActionsNow:
    stage, choices = reading.actions(viewer, case_id)
    return ActionsNow(id=case_id, stage=stage, actions=[c for c in choices if c.blocked is None],
                      blocked=[c for c in choices if c.blocked is not None])


@router.post("/cases/{case_id}/actions/{action}")
def take_action(viewer: Acting, case_id: int, action: str, body: ActionTaken) -> dict[str, Any]:
    outcome: ActionOutcome = case_flows.take_action(viewer, case_id, action, body.fields, body.on)
    return {**outcome.case.model_dump(mode="json"), "applied": outcome.applied.model_dump(mode="json")}


@router.get("/cases/{case_id}/documents", response_model=list[DocumentView])
def case_documents(viewer: Acting, case_id: int) -> list[DocumentView]:
    return reading.documents(viewer, case_id)


@router.post("/cases/{case_id}/documents/{kind}", response_model=DocumentView, status_code=201)
def make_document(viewer: Acting, case_id: int, kind: str) -> DocumentView:
    """The case's document of ``kind`` made again, as its next version."""
    return case_flows.generate_document(viewer, case_id, kind)


@router.get("/documents/verify")
def verify_documents(viewer: Acting) -> dict[str, object]:
    """Every stored document against the sha256 taken when it was made; 4xx naming each one missing or changed."""
    return reading.verify_documents(viewer)


@router.post("/documents/{kind}", response_model=list[DocumentView], status_code=201)
def make_documents(viewer: Acting, kind: str, stage: str) -> list[DocumentView]:
    """One kind of document for every case at a stage, all or none."""
    return case_flows.generate_documents(viewer, kind, stage)


@router.get("/documents/{document_id}", responses={200: {"content": {reading.DOCX: {}}}})
def document_file(viewer: Acting, document_id: int) -> Response:
    data, name = reading.document_file(viewer, document_id)
    return Response(data, media_type=reading.DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/deadlines", response_model=list[DeadlineView])
def deadlines(viewer: Acting, until: Annotated[date | None, Query()] = None, include_closed: bool = False) -> Response:
    return _listed(DeadlineView, reading.deadlines(viewer, until, include_closed))


@router.get("/schools", response_model=list[SchoolView])
def schools(viewer: Acting) -> Response:
    return _listed(SchoolView, reading.schools(viewer))


@router.post("/schools", response_model=SchoolView, status_code=201)
def add_school(viewer: Acting, body: NewSchool) -> SchoolView:
    details = SchoolDetails(urn=body.urn.strip(), name=body.name.strip(), type=parse_school_type(body.type), phase=body.phase.strip(),
                            la=body.la.strip(), diocese=body.diocese, religious_character=body.religious_character,
                            foundation_appointer=body.foundation_appointer, address=body.address, trust=body.trust,
                            trust_address=body.trust_address, calendar=body.calendar, la_code=body.la_code)
    return administration.add_school(viewer, details, body.model_dump(include={"head", "chair", "clerk", "ip"}), body.authority)


@router.put("/schools/{urn}/people", response_model=SchoolView)
def assign_people(viewer: Acting, urn: str, body: Places) -> SchoolView:
    return administration.assign_people(viewer, urn, body.model_dump())


@router.patch("/schools/{urn}", response_model=SchoolView)
def record_school_details(viewer: Acting, urn: str, body: SchoolRecord) -> SchoolView:
    return administration.record_school_details(viewer, urn, body.model_dump(exclude_unset=True))


@router.post("/schools/import", response_model=ImportResult)
async def import_schools(viewer: Acting, file: Annotated[UploadFile, File(description="a GIAS CSV export")]) -> ImportResult:
    result = administration.import_schools(viewer, file.filename or "upload.csv", await file.read(administration.MAX_UPLOAD + 1))
    return ImportResult(added=result.added, updated=result.updated)


@router.get("/people", response_model=list[PersonView])
def people(viewer: Acting) -> list[PersonView]:
    return reading.people(viewer)


@router.post("/people", response_model=PersonView, status_code=201)
def add_person(viewer: Acting, body: NewPerson) -> PersonView:
    return administration.add_person(viewer, body.name, body.email, body.role, body.organisation, authority=body.authority)


@router.put("/people/{email}/role", response_model=PersonView)
def change_role(viewer: Acting, email: str, body: NewRole) -> PersonView:
    return administration.change_role(viewer, email, body.role)


class NewLanguage(BaseModel):
    language: str = Field(max_length=10)


@router.put("/people/{email}/language", response_model=PersonView)
def set_language(viewer: Acting, email: str, body: NewLanguage) -> PersonView:
    """The language of a person's pages and emails (en or cy): one's own, or anyone's for a senior officer."""
    return administration.set_language(viewer, email, body.language)


@router.put("/people/{email}/authorities/{code}", response_model=PersonView)
def grant_role(viewer: Acting, email: str, code: str, body: NewRole) -> PersonView:
    """The role a member of staff holds in one authority (one more, or another role there)."""
    return administration.grant_role(viewer, email, code, body.role)


@router.get("/authorities", response_model=list[AuthorityView])
def authorities(viewer: Acting) -> list[AuthorityView]:
    return reading.authorities(viewer)


@router.post("/authorities", response_model=AuthorityView, status_code=201)
def add_authority(viewer: Acting, body: NewAuthority) -> AuthorityView:
    return administration.add_authority(viewer, **body.model_dump())


class AuthorityChange(BaseModel):
    """Only the settings given change."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    la_code: str | None = Field(default=None, max_length=10)
    playbook: str | None = Field(default=None, max_length=100)
    calendar: str | None = Field(default=None, max_length=100)
    letterhead: str | None = Field(default=None, max_length=300)
    sender: str | None = Field(default=None, max_length=320)


@router.patch("/authorities/{code}", response_model=AuthorityView)
def change_authority(viewer: Acting, code: str, body: AuthorityChange) -> AuthorityView:
    return administration.change_authority(viewer, code, body.model_dump(exclude_unset=True))




@router.put("/people/{email}/password")
def set_password(viewer: Acting, email: str, body: Password) -> dict[str, object]:
    """A password for the web pages: one's own, or anyone's for a senior officer."""
    return {"email": administration.set_password(viewer, email, body.password), "password_set": True}


@router.post("/people/{email}/calendar", status_code=201)
def subscribe(viewer: Acting, email: str) -> dict[str, str]:
    """A new secret calendar address (its token, shown once); any earlier one stops working."""
    return {"token": administration.subscribe(viewer, email)}


@router.delete("/people/{email}/calendar")
def unsubscribe(viewer: Acting, email: str) -> dict[str, object]:
    administration.unsubscribe(viewer, email)
    return {"email": email, "revoked": True}


@router.get("/people/{email}/calendar.ics")
def calendar_feed(viewer: Acting, email: str) -> dict[str, str]:
    """A person's deadlines and meetings as iCalendar text: one's own, or anyone's for a senior officer."""
    return {"feed": reading.calendar_feed_of(viewer, email).decode()}


@router.post("/tokens", status_code=201)
def create_token(viewer: Acting, body: NewToken) -> dict[str, object]:
    """A new API token (shown once): one's own, or anyone's for a senior officer."""
    token_id, token = administration.create_token(viewer, body.email)
    return {"id": token_id, "token": token}


@router.delete("/tokens/{token_id}")
def revoke_token(viewer: Acting, token_id: int) -> dict[str, object]:
    administration.revoke_token(viewer, token_id)
    return {"id": token_id, "revoked": True}


@router.get("/notifications", response_model=list[NotificationView])
def notifications(viewer: Acting, status: str | None = None) -> list[NotificationView]:
    return reading.notifications(viewer, status)


class TermlyPicture(BaseModel):
    """The termly report's figures as a table: its title, column headings and rows."""

    title: str
    headings: list[str]
    rows: list[list[Any]]


@router.get("/reports/termly/table", response_model=TermlyPicture)
def termly_picture(viewer: Acting, term: str | None = None, authority: str | None = None) -> TermlyPicture:
    """The termly report's figures, for a spreadsheet (the same cases and figures as its letter),
    in one authority (its code) or across the person's."""
    title, headings, rows = reading.termly_picture(viewer, term, authority)
    return TermlyPicture(title=title, headings=list(headings), rows=[list(r) for r in rows])


@router.get("/exports/{what}.{form}", response_class=Response)
def export(viewer: Acting, what: str, form: str, term: str | None = None, stage: str | None = None,
           until: Annotated[date | None, Query()] = None, authority: str | None = None) -> Response:
    """``cases``, ``deadlines`` or ``termly`` as ``csv`` or ``xlsx``: the files the pages download."""
    if what == "cases":
        data, name = reading.export_cases(viewer, reading.CaseQuery(stage=stage), form)
    elif what == "deadlines":
        data, name = reading.export_deadlines(viewer, until, False, form)
    elif what == "termly":
        data, name = reading.export_termly(viewer, term, form, authority)
    else:
        raise NotFound(f"no export '{what}': choose cases, deadlines or termly")
    return Response(data, media_type=EXPORT_TYPES[form], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/reports/termly", response_model=DocumentView, status_code=201)
def termly_report(viewer: Acting, term: str | None = None, authority: str | None = None) -> DocumentView:
    """The termly report across cases (of one authority, by its code, or across the person's),
    made now and stored as its next version."""
    return case_flows.termly_report(viewer, term, authority)


@router.get("/term-dates/moves")
def term_date_moves(viewer: Acting, calendar: str | None = None) -> list[dict[str, object]]:
    """The live deadlines the calendars' term dates as they are now would move."""
    return [asdict(m) for m in reading.term_date_moves(viewer, calendar)]


@router.post("/term-dates/{calendar}/apply")
def apply_term_dates(viewer: Acting, calendar: str) -> list[dict[str, object]]:
    """Move one calendar's cases' deadlines to its term dates, all or none."""
    return [asdict(m) for m in administration.apply_term_dates(viewer, calendar)]


@router.post("/playbooks/{name}/migrate")
def migrate_playbook(viewer: Acting, name: str, to: str, dry_run: bool = False) -> dict[str, object]:
    """Where each open case of a playbook would go on its version ``to`` and, unless a dry
    run, move those that can."""
    plans, moved = administration.migrate_playbook(viewer, name, to, apply=not dry_run)
    return {"playbook": name, "to": to, "dry_run": dry_run, "cases": [asdict(p) for p in plans], "moved": moved}


@router.get("/concerns")
def concerns(viewer: Acting) -> list[dict[str, object]]:
    """The schools the data flags without an open case, highest stage of concern first."""
    return reading.flagged_schools(viewer)


@router.post("/concerns/import")
async def import_concerns(viewer: Acting, file: Annotated[UploadFile, File(description="urn, indicator, value, period")],
                          on: date | None = None) -> dict[str, object]:
    """Figures checked against the triggers: concerns raised, stages of concern moved up."""
    data = await file.read(administration.MAX_UPLOAD + 1)
    return administration.import_indicators_file(viewer, file.filename or "upload.csv", data, on).as_dict()


@router.get("/audit/verify")
def verify_audit(viewer: Acting) -> dict[str, object]:
    """The audit log end to end and against the records it describes."""
    return reading.verify_audit(viewer)


@router.post("/flows/{name}/runs")
def run_recurring(viewer: Acting, name: str, on: date | None = None) -> dict[str, Any]:
    """A recurring flow (plan_half_term, deadline_sweep, send_notifications) run now, as of ``on``."""
    return catalog.run_recurring(viewer, name, on or today())


@router.post("/demo")
def demo(viewer: Acting, consortium: bool = False) -> dict[str, Any]:
    """The demo LA loaded once and walked through four cases; with ``consortium``, a second
    authority in Wales beside it."""
    return case_flows.load_demo(viewer, consortium)
