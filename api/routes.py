"""``/api/v1``: the REST API. Routes translate HTTP to the use cases and back; every rule
lives in ``models.services`` and every response is one of ``models.schemas``.

A token (``scc token create EMAIL``) is sent as ``Authorization: Bearer …`` and acts as its
person: the same roles as on the web pages (``models.services.access``) and in the
playbook. A refusal is a 4xx with ``{"detail": "one line"}`` and nothing written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile
from fastapi.responses import FileResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from models.db.session import transaction
from models.schemas import ActionChoice, CaseRow, CaseSummary, DeadlineView, DocumentView, SchoolView
from models.services.access import Viewer
from web import casework

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["cases"])
_bearer = HTTPBearer(auto_error=False, description="a token from `scc token create EMAIL`")


def token_viewer(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Viewer:
    """The person the bearer token acts for; 401 without a live token."""
    from models.services.accounts import person_for_token

    if credentials is not None:
        with transaction() as session:
            person = person_for_token(session, credentials.credentials)
            if person is not None:
                return Viewer.of(person)
    raise HTTPException(401, "a valid API token is needed: send Authorization: Bearer <token from scc token create>",
                        headers={"WWW-Authenticate": "Bearer"})


Acting = Annotated[Viewer, Depends(token_viewer)]


class NewCase(BaseModel):
    urn: str = Field(max_length=20)
    reason: str = Field(max_length=20000)
    on: date | None = None
    calendar: str | None = Field(default=None, max_length=500)
    playbook: str | None = Field(default=None, max_length=500)
    lead: str | None = Field(default=None, max_length=320)
    ip: str | None = Field(default=None, max_length=320)


class ActionTaken(BaseModel):
    fields: dict[str, str] = Field(default_factory=dict, max_length=200)
    on: date | None = None


class ActionsNow(BaseModel):
    id: int
    stage: str
    actions: list[ActionChoice]
    blocked: list[ActionChoice]


class ImportResult(BaseModel):
    added: int
    updated: int


@router.get("/cases", response_model=list[CaseRow])
def list_cases(viewer: Acting, stage: str | None = None, overdue: bool = False) -> list[CaseRow]:
    return casework.cases(viewer, casework.CaseQuery(stage=stage, overdue=overdue))


@router.post("/cases", response_model=CaseSummary, status_code=201)
def open_case(viewer: Acting, body: NewCase) -> CaseSummary:
    return casework.open_case(viewer, body.urn, body.reason, body.on, body.model_dump(include={"calendar", "playbook", "lead", "ip"}))


@router.get("/cases/{case_id}", response_model=CaseSummary)
def show_case(viewer: Acting, case_id: int) -> CaseSummary:
    return casework.case(viewer, case_id)


@router.get("/cases/{case_id}/actions", response_model=ActionsNow)
def case_actions(viewer: Acting, case_id: int) -> ActionsNow:
    stage, choices = casework.actions(viewer, case_id)
    return ActionsNow(id=case_id, stage=stage, actions=[c for c in choices if c.blocked is None],
                      blocked=[c for c in choices if c.blocked is not None])


@router.post("/cases/{case_id}/actions/{action}")
def take_action(viewer: Acting, case_id: int, action: str, body: ActionTaken) -> dict[str, Any]:
    outcome = casework.take_action(viewer, case_id, action, body.fields, body.on)
    return {**outcome.case.model_dump(mode="json"), "applied": outcome.applied.model_dump(mode="json")}


@router.get("/cases/{case_id}/documents", response_model=list[DocumentView])
def case_documents(viewer: Acting, case_id: int) -> list[DocumentView]:
    return casework.documents(viewer, case_id)


@router.get("/documents/{document_id}", response_class=FileResponse, responses={200: {"content": {casework.DOCX: {}}}})
def document_file(viewer: Acting, document_id: int) -> FileResponse:
    path, name = casework.document_file(viewer, document_id)
    return FileResponse(path, media_type=casework.DOCX, filename=name)


@router.get("/deadlines", response_model=list[DeadlineView])
def deadlines(viewer: Acting, until: Annotated[date | None, Query()] = None) -> list[DeadlineView]:
    return casework.deadlines(viewer, until)


@router.get("/schools", response_model=list[SchoolView])
def schools(viewer: Acting) -> list[SchoolView]:
    return casework.schools()


@router.post("/schools/import", response_model=ImportResult)
async def import_schools(viewer: Acting, file: Annotated[UploadFile, File(description="a GIAS CSV export")]) -> ImportResult:
    data = await casework.read_upload(file)
    added, updated = casework.import_schools(viewer, file.filename or "upload.csv", data)
    return ImportResult(added=added, updated=updated)
