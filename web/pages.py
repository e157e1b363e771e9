"""The web pages. Each route reads the request, calls ``web.casework`` (the same use cases
as the CLI and the API) and renders a template of ``templates/web/``; nothing here decides
anything about a case.

Every page but sign-in needs a signed-in member of staff; a page about a case someone may
not see is "not found". Every form carries the CSRF token. Pages work without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from models.db.session import transaction
from models.errors import CaseworkError, InvalidInput, NotFound
from models.rules.paging import missing_page, page_count
from models.services.access import Task, Viewer, require
from models.settings.environment import today
from models.vocab import Role
from web import casework, forms

__all__ = ["error_page", "router"]

router = APIRouter(include_in_schema=False)
CASES_PER_PAGE = 50

PAGES = Path(__file__).resolve().parents[1] / "templates" / "web"
_loader = jinja2.ChoiceLoader([
    jinja2.FileSystemLoader(str(PAGES)),
    jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}),
])
# The GOV.UK Frontend macros test optional parameters by their absence, so pages use Jinja's
# default undefined (letters, which must never print a blank, keep the strict one).
templates = Jinja2Templates(env=jinja2.Environment(loader=_loader, autoescape=True))


class SignInNeeded(Exception):
    """Raised by a page when nobody is signed in; answered with a redirect to sign in."""


def _viewer(request: Request) -> Viewer | None:
    from models.db.schools import Person
    from models.services.accounts import STAFF

    person_id = request.session.get("person_id")
    if not isinstance(person_id, int):
        return None
    with transaction() as session:
        person = session.get(Person, person_id)
        if person is None or person.role not in STAFF:
            return None
        return Viewer.of(person)


def signed_in(request: Request) -> Viewer:
    viewer = _viewer(request)
    if viewer is None:
        raise SignInNeeded(request.url.path)
    return viewer


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    from models.adapters.docx.letterhead import letterhead

    if "viewer" not in context:  # the routes pass the one they checked: no second lookup
        context["viewer"] = _viewer(request)
    return templates.TemplateResponse(request, name, {
        "letterhead": letterhead(), "tasks": Task, "csrftoken": request.scope.get("csrftoken", lambda: "")(), "today": today(),
        "path": request.url.path, **context,
    }, status_code=status)


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    titles = {401: "Sign in", 403: "You cannot do that", 404: "Page not found", 409: "The case changed", 422: "That was refused"}
    return render(request, "error.html", status, title=titles.get(status, "Sorry, there is a problem"), detail=detail)


@router.get("/healthz", response_class=PlainTextResponse)
def healthz() -> str:
    from sqlalchemy import text

    with transaction() as session:
        session.execute(text("SELECT 1"))
    return "ok"


@router.get("/readyz")
def readyz() -> Response:
    """Ready when the database answers, a scheduler holds its lease, and the Prefect server
    the flows report to is healthy; 503 naming what is not."""
    import os

    import httpx
    from fastapi.responses import JSONResponse

    from models.services.health import database_and_scheduler

    try:
        with transaction() as session:
            checks = database_and_scheduler(session)
    except Exception:  # noqa: BLE001 - any failure to reach the database is "not ready", never a trace
        checks = {"database": "unreachable", "scheduler": "unknown"}
    prefect = os.environ.get("PREFECT_API_URL")
    try:
        checks["prefect"] = "ok" if prefect and httpx.get(f"{prefect}/health", timeout=2).status_code == 200 else "not running"
    except httpx.HTTPError:
        checks["prefect"] = "unreachable"
    ready = all(state == "ok" for state in checks.values())
    return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)


@router.get("/logo")
def logo() -> Response:
    """The authority's logo from letterhead.toml, for the header of every page."""
    from fastapi.responses import FileResponse

    from models.adapters.docx.letterhead import letterhead

    found = letterhead().logo
    if not found:
        raise NotFound("no logo is configured in letterhead.toml")
    return FileResponse(found)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/") -> HTMLResponse:
    from models.settings.sign_in import sign_in_settings

    return render(request, "sign_in.html", next=local_path(next), error=None, email="", sign_in=sign_in_settings())


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    from models.services.accounts import SignInRefused
    from models.services.accounts import sign_in as check

    form = await request.form()
    email, password, target = str(form.get("email", "")), str(form.get("password", "")), local_path(str(form.get("next", "/")))
    refusal = None
    with transaction() as session:  # committed either way: a failure counts towards the lock and is audited
        try:
            person_id = check(session, email, password).id
        except SignInRefused as error:
            refusal = str(error)
    if refusal is not None:
        from models.settings.sign_in import sign_in_settings

        return render(request, "sign_in.html", 401, next=target, error=refusal, email=email[:320], viewer=None,
                      sign_in=sign_in_settings())
    request.session.clear()
    request.session["person_id"] = person_id
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
def sign_out(request: Request) -> Response:
    from models.services.accounts import sign_out as record

    viewer = _viewer(request)
    if viewer is not None:
        with transaction() as session:
            record(session, viewer.email)
    request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/", response_class=HTMLResponse)
def my_work(request: Request) -> HTMLResponse:
    viewer = signed_in(request)
    return render(request, "my_work.html", work=casework.my_work(viewer), viewer=viewer)


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, stage: str = "", school_type: str = "", lead: str = "", ip: str = "", overdue: str = "",
          q: str = "", sort: str = "newest", page: int = 1) -> HTMLResponse:
    viewer = signed_in(request)
    query = casework.CaseQuery(stage=stage or None, school_type=school_type or None, lead=lead or None, ip=ip or None,
                               overdue=overdue == "yes", search=q or None, sort=sort)
    rows, total = casework.case_page(viewer, query, page, CASES_PER_PAGE)
    pages = page_count(total, CASES_PER_PAGE)
    missing = missing_page(page, pages, "cases")
    if missing:
        raise NotFound(missing)
    return render(request, "cases.html", rows=rows, query=query, viewer=viewer, total=total, page=page, pages=pages,
                  first=(page - 1) * CASES_PER_PAGE + 1, page_link=_page_link(request, "page"))


@router.get("/cases/new", response_class=HTMLResponse)
def new_case(request: Request) -> HTMLResponse:
    viewer = signed_in(request)
    return _new_case_form(request, viewer, {}, None, None)


@router.post("/cases/new")
async def open_case(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    entered = {key: str(form.get(key, "")).strip() for key in ("urn", "reason", "lead", "ip", "on")}
    try:
        if not entered["urn"]:
            raise NotFound("choose the school")
        on = _date(entered["on"], "the date the case was opened") if entered["on"] else None
        opened = casework.open_case(viewer, entered["urn"], entered["reason"], on,
                                    {"lead": entered["lead"] or None, "ip": entered["ip"] or None})
    except CaseworkError as error:
        text = str(error)
        field = "reason" if "reason" in text else "on" if ("date" in text or "after today" in text) else "urn"
        return _new_case_form(request, viewer, entered, text, field, status=422)
    return RedirectResponse(f"/cases/{opened.id}?done=case+opened", status_code=303)


def _new_case_form(request: Request, viewer: Viewer, entered: dict[str, str], error: str | None, field: str | None,
                   status: int = 200) -> HTMLResponse:
    require(viewer, Task.OPEN_CASE)
    people = casework.people()
    return render(request, "new_case.html", status, schools=casework.schools(), entered=entered, error=error,
                  error_field=field, leads=[p for p in people if p.role in ("lead", "senior")],
                  ips=[p for p in people if p.role in ("ip", "principal_ip")], viewer=viewer)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, done: str = "") -> HTMLResponse:
    return _case_page(request, signed_in(request), case_id, done=done)


def _case_page(request: Request, viewer: Viewer, case_id: int, done: str = "", reopen_error: str | None = None,
               reason: str = "", status: int = 200) -> HTMLResponse:
    summary = casework.case(viewer, case_id)
    stage, choices = casework.actions(viewer, case_id)
    return render(request, "case.html", status, case=summary, choices=choices, documents=casework.documents(viewer, case_id),
                  done=done, viewer=viewer, may_reopen=viewer.may(Task.OPEN_CASE), reopen_error=reopen_error, reason=reason)


@router.post("/cases/{case_id}/reopen")
async def reopen_case(request: Request, case_id: int) -> Response:
    """Reopen intervention for a school watched after exit: one click and a reason."""
    viewer = signed_in(request)
    form = await request.form()
    reason = str(form.get("reason", "")).strip()
    try:
        opened = casework.reopen_case(viewer, case_id, reason)
    except CaseworkError as error:
        return _case_page(request, viewer, case_id, reopen_error=str(error), reason=reason, status=422)
    return RedirectResponse(f"/cases/{opened.id}?done=intervention+reopened", status_code=303)


@router.get("/cases/{case_id}/actions/{action}", response_class=HTMLResponse)
def action_form(request: Request, case_id: int, action: str) -> HTMLResponse:
    viewer = signed_in(request)
    return _form(request, viewer, case_id, action, {}, {}, None)


@router.post("/cases/{case_id}/actions/{action}")
async def take_action(request: Request, case_id: int, action: str) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    entered = {key: [str(v) for v in form.getlist(key)] for key in form.keys() if key != "csrftoken"}
    choice = _choice(viewer, case_id, action)
    fields = forms.submitted(choice, entered)
    try:
        on_text = (entered.get(forms.ON_FIELD) or [""])[0].strip()
        on = _date(on_text) if on_text else None
        casework.take_action(viewer, case_id, action, fields, on)
    except CaseworkError as error:
        field_errors = forms.errors_by_field(error, choice)
        if isinstance(error, InvalidInput) and str(error).startswith("the date"):
            field_errors = {forms.ON_FIELD: str(error)}
        return _form(request, viewer, case_id, action, entered, field_errors, str(error), status=422)
    return RedirectResponse(f"/cases/{case_id}?done={quote(action)}", status_code=303)


def _date(text: str, what: str = "the date the action took effect") -> date:
    from models.rules.text import parse_day

    try:
        return parse_day(text, what)
    except InvalidInput as error:
        raise InvalidInput(f"{what}: {str(error).split(': ', 1)[-1]}") from None


def _choice(viewer: Viewer, case_id: int, action: str) -> Any:
    stage, choices = casework.actions(viewer, case_id)
    for choice in choices:
        if choice.action == action:
            return choice
    raise NotFound(f"'{action}' is not open from the case's stage ({stage}): go back to the case to see what is")


def _form(request: Request, viewer: Viewer, case_id: int, action: str, entered: dict[str, list[str]],
          field_errors: dict[str, str], summary: str | None, status: int = 200) -> HTMLResponse:
    choice = _choice(viewer, case_id, action)
    case = casework.case(viewer, case_id)
    built = forms.form_fields(choice, case.priorities, entered, field_errors)
    on_value = (entered.get(forms.ON_FIELD) or [today().isoformat()])[0]
    return render(request, "action.html", status, case=case, choice=choice, fields=built, summary=summary,
                  field_errors=field_errors, on_field=forms.ON_FIELD, on_value=on_value,
                  on_error=field_errors.get(forms.ON_FIELD), viewer=viewer)


@router.get("/documents/{document_id}")
def download(request: Request, document_id: int) -> Response:
    from fastapi.responses import FileResponse

    viewer = signed_in(request)
    path, name = casework.document_file(viewer, document_id)
    return FileResponse(path, media_type=casework.DOCX, filename=name)


@router.get("/schools", response_class=HTMLResponse)
def schools(request: Request, imported: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return render(request, "schools.html", schools=casework.schools(), imported=imported, error=None, viewer=viewer)


@router.get("/schools/{urn}", response_class=HTMLResponse)
def school_page(request: Request, urn: str) -> HTMLResponse:
    viewer = signed_in(request)
    found, rows, classifications = casework.school(viewer, urn)
    return render(request, "school.html", school=found, rows=rows, classifications=classifications, viewer=viewer)


@router.post("/cases/{case_id}/documents/{kind}")
def regenerate(request: Request, case_id: int, kind: str) -> Response:
    viewer = signed_in(request)
    made = casework.regenerate(viewer, case_id, kind)
    return RedirectResponse(f"/cases/{case_id}?done={quote(kind + ' version ' + str(made.version))}", status_code=303)


@router.post("/schools/import")
async def import_schools(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput("choose the CSV file exported from Get Information About Schools")
        data = await casework.read_upload(upload)
        added, updated = casework.import_schools(viewer, upload.filename, data)
    except CaseworkError as error:
        return render(request, "schools.html", 422, schools=casework.schools(), imported="", error=str(error), viewer=viewer)
    return RedirectResponse(f"/schools?imported={added}+added,+{updated}+updated", status_code=303)


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, done: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return render(request, "people.html", people=casework.people(), viewer=viewer, done=done, error=None, entered={},
                  roles=[r.value for r in Role])


@router.post("/people")
async def add_person(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    entered = {key: str(form.get(key, "")) for key in ("name", "email", "role", "organisation")}
    try:
        person = casework.add_person(viewer, entered["name"], entered["email"], entered["role"], entered["organisation"])
    except CaseworkError as error:
        return render(request, "people.html", 422, people=casework.people(), viewer=viewer, done="", error=str(error),
                      entered=entered, roles=[r.value for r in Role])
    return RedirectResponse(f"/people?done={quote('Added ' + person.email)}", status_code=303)


@router.post("/people/role")
async def change_role(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    email, role = str(form.get("email", "")), str(form.get("role", ""))
    try:
        person = casework.change_role(viewer, email, role)
    except CaseworkError as error:
        return render(request, "people.html", 422, people=casework.people(), viewer=viewer, done="", error=str(error),
                      entered={}, roles=[r.value for r in Role])
    return RedirectResponse(f"/people?done={quote(person.email + ' is now ' + person.role.replace('_', ' '))}", status_code=303)


@router.get("/me", response_class=HTMLResponse)
def me(request: Request, stopped: str = "") -> HTMLResponse:
    from models.services.accounts import has_feed

    viewer = signed_in(request)
    with transaction() as session:
        live = has_feed(session, viewer.email)
    return render(request, "me.html", viewer=viewer, address=None, has_feed=live, stopped=stopped == "yes")


@router.post("/me/calendar", response_class=HTMLResponse)
def new_calendar_address(request: Request) -> HTMLResponse:
    from models.services.accounts import create_feed

    viewer = signed_in(request)
    with transaction() as session:
        token = create_feed(session, viewer.email, viewer.email)
    address = str(request.url_for("feed", token=token))
    return render(request, "me.html", viewer=viewer, address=address, has_feed=True, stopped=False)


@router.post("/me/calendar/stop")
def stop_calendar_address(request: Request) -> Response:
    from models.services.accounts import revoke_feed

    viewer = signed_in(request)
    with transaction() as session:
        revoke_feed(session, viewer.email, viewer.email)
    return RedirectResponse("/me?stopped=yes", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, term: str = "", category: str = "", rag_page: int = 1) -> HTMLResponse:
    viewer = signed_in(request)
    board, terms = casework.dashboard(viewer, term, category, rag_page)
    return render(request, "dashboard.html", board=board, terms=terms, viewer=viewer,
                  rag_link=_page_link(request, "rag_page", "#rag"))


@router.post("/dashboard/termly-report")
async def termly_report(request: Request) -> Response:
    from fastapi.responses import FileResponse

    viewer = signed_in(request)
    form = await request.form()
    path, name = casework.termly_report(viewer, str(form.get("term", "")))
    return FileResponse(path, media_type=casework.DOCX, filename=name)


@router.get("/concerns", response_class=HTMLResponse)
def concerns(request: Request) -> HTMLResponse:
    """The schools the data flags without an open case, for a lead to review."""
    viewer = signed_in(request)
    return render(request, "concerns.html", suggestions=casework.suggested_cases(viewer), viewer=viewer)


@router.post("/concerns/{urn}/open")
def open_suggested_case(request: Request, urn: str) -> Response:
    viewer = signed_in(request)
    opened = casework.open_suggested_case(viewer, urn)
    return RedirectResponse(f"/cases/{opened.id}?done=case+opened", status_code=303)


@router.get("/term-dates", response_class=HTMLResponse)
def term_dates(request: Request, moved: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    moves = casework.term_date_moves(viewer)
    calendars: dict[str, list[Any]] = {}
    for move in moves:
        calendars.setdefault(move.calendar, []).append(move)
    return render(request, "term_dates.html", calendars=calendars, moved=moved, viewer=viewer)


@router.post("/term-dates/{calendar}/apply")
def apply_term_dates(request: Request, calendar: str) -> Response:
    viewer = signed_in(request)
    moved = casework.apply_term_dates(viewer, calendar)
    return RedirectResponse(f"/term-dates?moved={moved}", status_code=303)


@router.get("/playbooks", response_class=HTMLResponse)
def playbooks(request: Request, moved: str = "", refused: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return render(request, "playbooks.html", books=casework.playbook_plans(viewer), moved=moved, refused=refused, viewer=viewer)


@router.post("/playbooks/{name}/migrate")
async def migrate_playbook(request: Request, name: str) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    moved, refused = casework.migrate_playbook(viewer, name, str(form.get("to", "")))
    return RedirectResponse(f"/playbooks?moved={moved}&refused={refused}", status_code=303)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API's interactive documentation (Swagger UI from the local assets)."""
    return render(request, "api_docs.html")


def _page_link(request: Request, parameter: str, anchor: str = "") -> Callable[[int], str]:
    """The address of page n of this page's list: the same filters, another ``parameter``."""
    kept = [(key, value) for key, value in request.query_params.multi_items() if key != parameter]
    return lambda n: f"{request.url.path}?{urlencode([*kept, (parameter, str(n))])}{anchor}"


def local_path(target: str) -> str:
    """Only a path on this site may follow sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
