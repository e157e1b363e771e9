"""The web pages. Each route reads the request, calls one use case of the application layer
(``models.services``, or the flow of a change to a case in ``flows.case_flows``: the same
as the CLI and the API) and renders a template of ``templates/web/``; nothing here decides
anything about a case.

Every page but sign-in needs a signed-in member of staff; a page about a case someone may
not see is "not found". Every form carries the CSRF token. Pages work without JavaScript.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from flows import case_flows
from models.adapters.docx.letterhead import letterhead
from models.errors import CaseworkError, FieldError, GuardFailed, InvalidInput, NotFound, Unavailable
from models.messages import Words
from models.rules.calendar import welsh_explanation
from models.rules.paging import page_count
from models.rules.roles import IP_PLACE, LEAD_PLACE, STAFF, role_words
from models.rules.text import parse_day, parse_whole
from models.rules.words import words
from models.schemas import ActionChoice, AlertView, AuthorityView, CaseAlertView, CaseSummary, DeadlineView, LetterView, PriorityView, RecordedAction
from models.services import administration, case_changes, letters, reading, signing_in
from models.services.access import Task, Viewer, require, session_viewer
from models.services.accounts import LONGEST_HOURS, SignInRefused
from models.services.amendments import amendable
from models.services.case_file import EVIDENCE_LIMIT
from models.services.corrections import field_text
from models.services.exports import FORMATS as EXPORT_TYPES
from models.services.health import database_and_scheduler, database_answers
from models.settings.environment import authority, environment, today
from models.settings.files import calendar_named, glossary, letterhead_names, names_in
from models.settings.sign_in import sign_in_settings
from models.vocab import Language, MeetingKind, Role
from web import forms, language
from web.errors import status_of
from web.language import N_, Said, refusal

__all__ = ["SESSION_COOKIE", "error_page", "router", "start_session"]

router = APIRouter(include_in_schema=False)
logger = logging.getLogger("scc.web")
CASES_PER_PAGE = 50

PAGES = Path(__file__).resolve().parents[1] / "templates" / "web"
_loader = jinja2.ChoiceLoader([
    jinja2.FileSystemLoader(str(PAGES)),
    jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}),
])
# The GOV.UK Frontend macros test optional parameters by their absence, so pages use Jinja's
# default undefined (letters, which must never print a blank, keep the strict one).
templates = Jinja2Templates(env=jinja2.Environment(loader=_loader, autoescape=True, extensions=["jinja2.ext.i18n"]))
templates.env.install_gettext_callables(language.gettext, language.ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.tests["amendable"] = amendable
templates.env.filters["day"] = language.say_date
templates.env.filters["translate"] = language.gettext  # a playbook's own words, where the catalog has them


@jinja2.pass_context
def _in_words(context: Any, code: str, capital: bool = True) -> str:
    """``{{ d.kind | words }}``: an internal name as staff say it, with the glossary's capitals,
    in the page's language where the catalog has it."""
    said = words(code, context.get("glossary") or {}, capital)
    return language.gettext(said) if capital else language.named(said)


templates.env.filters["words"] = _in_words


def _counted(deadline: DeadlineView) -> str:
    """``{{ d | counted }}``: how a deadline was counted, in the page's language. A Welsh page
    says the same count in Welsh: a planned duty's placing as kept, a count in days counted
    again on the case's term dates (the English where it cannot be said again)."""
    if language.current() != "cy" or deadline.case_calendar is None:
        return deadline.explanation
    try:
        said = welsh_explanation(calendar_named(deadline.case_calendar), deadline.counted_from, deadline.amount, deadline.unit,
                                 deadline.basis, deadline.due, deadline.explanation_cy)
    except CaseworkError:  # its term dates changed since: the count as it was made
        said = None
    return said or deadline.explanation


templates.env.filters["counted"] = _counted


def _alert_detail(alert: AlertView | CaseAlertView) -> str:
    """``{{ a | alert_detail }}``: why an alert was raised, in Welsh on a Welsh page where the
    sweep kept it so (a case on Welsh term dates), else as raised."""
    return alert.detail_cy if language.current() == "cy" and alert.detail_cy else alert.detail


templates.env.filters["alert_detail"] = _alert_detail


def _blocked(choice: ActionChoice) -> str | Said:
    """``{{ c | blocked }}``: why an action cannot be taken now, in the page's language."""
    return refusal(choice.blocked_refusal) if choice.blocked_refusal is not None else choice.blocked or ""


templates.env.filters["blocked"] = _blocked


def _named(recipient: Any) -> str:
    """``{{ r | named }}``: a letter's recipient by name, an outside body by its Welsh name on a
    Welsh page (the Welsh Ministers are "Gweinidogion Cymru"), as a Welsh letter names it."""
    role, name = (recipient.get("role"), recipient.get("name")) if isinstance(recipient, dict) else (recipient.role, recipient.name)
    if language.current() == "en" or not role:
        return str(name)
    return authority().recipient_name(str(role), language.current()) or str(name)


templates.env.filters["named"] = _named


SESSION_COOKIE = "scc_session"  # the token of the server-side session (``models.services.accounts``)


class SignInNeeded(Exception):
    """Raised by a page when nobody is signed in; answered with a redirect to sign in."""


def _viewer(request: Request) -> Viewer | None:
    """The person whose live session the cookie holds (found once per request: ``server.edge``
    may already have looked them up before reading a form)."""
    if "viewer" not in request.state._state:
        token = request.cookies.get(SESSION_COOKIE, "")
        request.state.viewer = session_viewer(token) if token else None
    found: Viewer | None = request.state.viewer
    return found


def start_session(request: Request, token: str, target: str) -> Response:
    """The redirect after signing in, carrying the new session's cookie (HttpOnly, SameSite=Lax,
    Secure over TLS); whatever session the browser held before is gone."""
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=LONGEST_HOURS * 3600, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https" or os.environ.get("SCC_SECURE_COOKIES") == "1")
    return response


def signed_in(request: Request) -> Viewer:
    viewer = _viewer(request)
    if viewer is None:
        raise SignInNeeded(request.url.path)
    return viewer


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    if "viewer" not in context:  # the routes pass the one they checked: no second lookup
        context["viewer"] = _viewer(request)
    context.setdefault("glossary", glossary())
    if context["viewer"] is not None and "email_warning" not in context:
        context["email_warning"] = reading.email_warning()
    viewer = context["viewer"]
    asked = request.query_params.get("lang")
    spoken = language.chosen(asked, request.cookies.get(language.COOKIE), viewer.language if viewer else None)
    with language.speaking(spoken):
        response = templates.TemplateResponse(request, name, {
            "letterhead": letterhead(viewer.letterhead if viewer else "letterhead.toml").in_language(spoken), "tasks": Task,
            "csrftoken": request.scope.get("csrftoken", lambda: "")(), "today": today(),
            "path": request.url.path, "page_language": spoken, **_switch(request, spoken), **context,
        }, status_code=status)
    if asked == spoken:  # the switch was used: this browser keeps the choice
        response.set_cookie(language.COOKIE, spoken, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


def _switch(request: Request, spoken: str) -> dict[str, str]:
    """The switch at the top of every page: this page again in the other language."""
    other = Language.ENGLISH if spoken == Language.WELSH else Language.WELSH
    again = request.url.include_query_params(lang=other.value)
    return {"other_language": other.value, "other_language_name": language.LANGUAGES[other],
            "switch_href": f"{again.path}?{again.query}"}


def error_page(request: Request, status: int, detail: str | Said) -> HTMLResponse:
    titles = {401: N_("Sign in"), 403: N_("You cannot do that"), 404: N_("Page not found"), 409: N_("The case changed"),
              422: N_("That was refused")}
    return render(request, "error.html", status, title=titles.get(status, N_("Sorry, there is a problem")), detail=detail)


@router.get("/system", response_class=HTMLResponse)
def system(request: Request) -> HTMLResponse:
    """The health of the installation, for senior officers."""
    viewer = signed_in(request)
    return render(request, "system.html", checks=reading.system(viewer), viewer=viewer)


def _authorities_page(request: Request, viewer: Viewer, status: int = 200, done: str = "", error: FieldError | None = None,
                      entered: dict[str, str] | None = None) -> HTMLResponse:
    return render(request, "authorities.html", status, authorities=reading.authorities(viewer), viewer=viewer, done=done,
                  error=error, entered=entered or {}, may_add=viewer.may(Task.MANAGE_AUTHORITIES) and viewer.everywhere,
                  playbooks=names_in("playbooks"), calendars=names_in("calendars"), letterheads=letterhead_names())


@router.get("/authorities", response_class=HTMLResponse)
def authorities(request: Request, done: str = "") -> HTMLResponse:
    """The authorities the person works for; a consortium's senior officers add one here."""
    return _authorities_page(request, signed_in(request), done=done)


@router.post("/authorities")
async def add_authority(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    entered = {key: str(form.get(key, "")) for key in ("code", "name", "la_code", "playbook", "calendar", "letterhead", "sender")}
    try:
        made = administration.add_authority(viewer, **entered)
    except FieldError as error:
        return _authorities_page(request, viewer, 422, error=error, entered=entered)
    except CaseworkError as error:
        if status_of(error) == 403:
            raise
        return _authorities_page(request, viewer, 422, error=FieldError("name", error.message, **error.parameters), entered=entered)
    return RedirectResponse(f"/authorities?done={quote('Added ' + made.name)}", status_code=303)


@router.get("/healthz", response_class=PlainTextResponse)
def healthz() -> str:
    database_answers()
    return "ok"


@router.get("/readyz")
def readyz() -> Response:
    """Ready when the database answers, a scheduler holds its lease, and the Prefect server
    the flows report to is healthy; 503 naming what is not."""
    try:
        checks = database_and_scheduler()
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
def logo(request: Request) -> Response:
    """The logo of the letterhead the header shows: the authority's of someone working for one,
    else the installation's (letterhead.toml)."""
    viewer = _viewer(request)
    found = letterhead(viewer.letterhead if viewer else "letterhead.toml").logo
    if not found:
        raise NotFound(N_("no logo is configured in the letterhead"))
    return FileResponse(found)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/", done: str = "") -> HTMLResponse:
    return render(request, "sign_in.html", next=local_path(next), error=None, email="", sign_in=sign_in_settings(),
                  password_set=done == "password")


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    email, password, target = str(form.get("email", "")), str(form.get("password", "")), local_path(str(form.get("next", "/")))
    refused = None
    try:
        token = signing_in.sign_in(email, password)
    except SignInRefused as error:
        refused = refusal(error)
    if refused is not None:
        return render(request, "sign_in.html", 401, next=target, error=refused, email=email[:320], viewer=None,
                      sign_in=sign_in_settings())
    return start_session(request, token, target)


@router.get("/forgotten-password", response_class=HTMLResponse)
def forgotten_password_page(request: Request) -> HTMLResponse:
    return render(request, "password.html", viewer=None, step="ask", error=None, email="", sent=False)


@router.post("/forgotten-password", response_class=HTMLResponse)
async def forgotten_password(request: Request) -> HTMLResponse:
    """A link to choose a new password, emailed if the address is a member of staff's; the page
    says the same whoever asks, so it tells nobody which addresses have accounts."""
    form = await request.form()
    email = str(form.get("email", "")).strip()[:320]
    if "@" not in email:
        return render(request, "password.html", 422, viewer=None, step="ask", error="Enter your email address, like name@council.gov.uk",
                      email=email, sent=False)
    site = _reset_site(request)
    if site is None:  # the Host header is whatever the asker sent: no link is built from it
        logger.warning("a forgotten-password link was asked for but SCC_PUBLIC_URL is not set: no email sent")
    else:
        signing_in.forgotten_password(email, site)
    return render(request, "password.html", viewer=None, step="ask", error=None, email=email, sent=True)


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _site(request: Request) -> str:
    """The pages' address for a link in an email a signed-in member of staff sends:
    ``SCC_PUBLIC_URL``, else the address their own browser reached."""
    return environment().public_url or str(request.base_url)


def _reset_site(request: Request) -> str | None:
    """The address for a forgotten-password link, asked for by anyone: ``SCC_PUBLIC_URL``, else
    this request's only when it names this machine. Its Host header is the asker's to choose,
    and a reset link must never point elsewhere."""
    if environment().public_url or request.url.hostname in LOCAL_HOSTS:
        return _site(request)
    return None


@router.get("/set-password/{token}", response_class=HTMLResponse)
def choose_password_page(request: Request, token: str) -> HTMLResponse:
    try:
        name = signing_in.link_holder(token)
    except InvalidInput as error:
        return render(request, "password.html", 410, viewer=None, step="expired", error=refusal(error), email="", sent=False)
    return render(request, "password.html", viewer=None, step="choose", error=None, holder=name, field=None)


@router.post("/set-password/{token}", response_class=HTMLResponse)
async def choose_password(request: Request, token: str) -> Response:
    """The password chosen through a one-time link: then sign in with it."""
    form = await request.form()
    password, again = str(form.get("password", "")), str(form.get("confirm", ""))
    try:
        name = signing_in.link_holder(token)
        if password != again:
            raise FieldError("confirm", N_("the two passwords are not the same: type the same password twice"))
        signing_in.choose_password(token, password)
    except FieldError as error:
        return render(request, "password.html", 422, viewer=None, step="choose", error=refusal(error), holder=name, field=error.field)
    except InvalidInput as error:
        return render(request, "password.html", 410, viewer=None, step="expired", error=refusal(error), email="", sent=False)
    return RedirectResponse("/sign-in?done=password", status_code=303)


@router.post("/sign-out")
def sign_out(request: Request) -> Response:
    """Every browser of the person signed out, this one's cookie gone."""
    signing_in.sign_out(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def my_work(request: Request) -> HTMLResponse:
    viewer = signed_in(request)
    return render(request, "my_work.html", work=reading.my_work(viewer), viewer=viewer)


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, stage: str = "", school_type: str = "", lead: str = "", ip: str = "", overdue: str = "",
          q: str = "", sort: str = "newest", page: int = 1) -> HTMLResponse:
    viewer = signed_in(request)
    query = reading.CaseQuery(stage=stage or None, school_type=school_type or None, lead=lead or None, ip=ip or None,
                               overdue=overdue == "yes", search=q or None, sort=sort)
    rows, total = reading.case_page(viewer, query, page, CASES_PER_PAGE)  # a page beyond the last is not found there
    pages = page_count(total, CASES_PER_PAGE)
    filters = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])  # every page goes in an export
    sorted_by = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "sort")])
    return render(request, "cases.html", rows=rows, query=query, viewer=viewer, total=total, page=page, pages=pages,
                  first=(page - 1) * CASES_PER_PAGE + 1, page_link=_page_link(request, "page"), filters=filters,
                  choices=reading.case_filters(viewer), sort_link=f"/cases?{sorted_by}&sort=" if sorted_by else "/cases?sort=")


@router.get("/cases/import", response_class=HTMLResponse)
def import_form(request: Request) -> HTMLResponse:
    viewer = signed_in(request)
    require(viewer, Task.OPEN_CASE)
    return render(request, "import.html", plans=None, error=None, viewer=viewer)


@router.post("/cases/import")
async def check_tracker(request: Request) -> Response:
    """The dry run of a tracker: each row's case and deadlines, or why it is refused."""
    viewer = signed_in(request)
    form = await request.form()
    try:
        name, data = await _uploaded(form, administration.MAX_UPLOAD, N_("choose the tracker: a .xlsx or .csv file"))
        plans = administration.check_tracker(viewer, name, data)
    except InvalidInput as error:
        return render(request, "import.html", 422, plans=None, error=refusal(error), viewer=viewer)
    return render(request, "import.html", plans=plans, file_name=name, content=base64.b64encode(data).decode(),
                  applied=False, error=None, viewer=viewer)


@router.post("/cases/import/apply")
async def import_tracker(request: Request) -> Response:
    """Open the checked tracker's cases (it is checked again: nothing opens while a row is refused)."""
    viewer = signed_in(request)
    form = await request.form()
    name = str(form.get("name", ""))
    try:
        data = base64.b64decode(str(form.get("content", "")), validate=True)
    except ValueError:
        raise InvalidInput(N_("the tracker did not arrive whole: upload it again")) from None
    try:
        plans = administration.import_tracker(viewer, name, data)
    except InvalidInput as error:
        return render(request, "import.html", 422, plans=None, error=refusal(error), viewer=viewer)
    return render(request, "import.html", plans=plans, file_name=name, content="", applied=True, error=None, viewer=viewer)


@router.get("/cases/new", response_class=HTMLResponse)
def new_case(request: Request, urn: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return _new_case_form(request, viewer, {"urn": urn[:20]} if urn else {}, None, None)


@router.post("/cases/new")
async def open_case(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    entered = {key: str(form.get(key, "")).strip() for key in ("urn", "reason", "lead", "ip", "on")}
    try:
        if not entered["urn"]:
            raise NotFound(N_("choose the school"))
        on = _day(entered["on"], N_("the date the case was opened"), "on") if entered["on"] else None
        opened = case_flows.open_case(viewer, entered["urn"], entered["reason"], on,
                                      {"lead": entered["lead"] or None, "ip": entered["ip"] or None})
    except CaseworkError as error:
        text = str(error)
        field = "reason" if "reason" in text else "on" if ("date" in text or "after today" in text) else "urn"
        return _new_case_form(request, viewer, entered, refusal(error), field, status=422)
    return RedirectResponse(f"/cases/{opened.id}?done=case+opened", status_code=303)


def _new_case_form(request: Request, viewer: Viewer, entered: dict[str, str], error: str | Said | None, field: str | None,
                   status: int = 200) -> HTMLResponse:
    require(viewer, Task.OPEN_CASE)
    people = reading.people(viewer)
    return render(request, "new_case.html", status, schools=reading.schools(viewer), entered=entered, error=error,
                  error_field=field, leads=[p for p in people if p.role in LEAD_PLACE],
                  ips=[p for p in people if p.role in IP_PLACE], viewer=viewer)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, done: str = "") -> HTMLResponse:
    return _case_page(request, signed_in(request), case_id, done=done)


def _case_page(request: Request, viewer: Viewer, case_id: int, done: str = "", reopen_error: str | Said | None = None,
               reason: str = "", status: int = 200, undo_error: str | Said | None = None, note_error: str | Said | None = None,
               note: str = "", evidence_error: str | Said | None = None, plan_error: str | Said | None = None) -> HTMLResponse:
    summary = reading.case(viewer, case_id)
    stage, choices = reading.actions(viewer, case_id)
    return render(request, "case.html", status, case=summary, choices=choices, documents=reading.documents(viewer, case_id),
                  done=done, viewer=viewer, may_reopen=viewer.may(Task.OPEN_CASE), reopen_error=reopen_error, reason=reason,
                  may_undo=viewer.may(Task.UNDO_ACTION), undo_error=undo_error,
                  undo_reason=reason if undo_error else "", note_error=note_error, note=note, evidence_error=evidence_error,
                  may_plan=viewer.may(Task.PLAN_CASE), plan_error=plan_error)


@router.post("/cases/{case_id}/undo")
async def undo_action(request: Request, case_id: int) -> Response:
    """Undo the latest action of the case; a refusal is said beside the reason."""
    viewer = signed_in(request)
    form = await request.form()
    reason = str(form.get("reason", ""))
    try:
        case_flows.undo_action(viewer, case_id, reason)
    except (InvalidInput, GuardFailed) as error:
        return _case_page(request, viewer, case_id, reason=reason, status=422, undo_error=refusal(error))
    return RedirectResponse(f"/cases/{case_id}?done=latest+action+undone", status_code=303)


@router.post("/cases/{case_id}/plan")
async def plan_case(request: Request, case_id: int) -> Response:
    """Plan this half-term's reviews, visits and TIG meetings for the case now; a refusal is said beside the button."""
    viewer = signed_in(request)
    try:
        case_flows.plan_case(viewer, case_id)
    except GuardFailed as error:
        return _case_page(request, viewer, case_id, status=422, plan_error=refusal(error))
    return RedirectResponse(f"/cases/{case_id}?done=half-term+planned#deadlines", status_code=303)


@router.post("/cases/{case_id}/reopen")
async def reopen_case(request: Request, case_id: int) -> Response:
    """Reopen intervention for a school watched after exit: one click and a reason."""
    viewer = signed_in(request)
    form = await request.form()
    reason = str(form.get("reason", "")).strip()
    try:
        opened = case_flows.reopen_case(viewer, case_id, reason)
    except InvalidInput as error:  # about the reason: said beside it; any other refusal on the error page
        return _case_page(request, viewer, case_id, reopen_error=refusal(error), reason=reason, status=422)
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
    choice = reading.action_fields(viewer, case_id, action)  # the fields only: the action is decided once, in its flow
    fields = forms.submitted(choice, entered)
    try:
        on_text = (entered.get(forms.ON_FIELD) or [""])[0].strip()
        on = _day(on_text, N_("the date the action took effect"), forms.ON_FIELD) if on_text else None
        case_flows.take_action(viewer, case_id, action, fields, on)
    except CaseworkError as error:
        field_errors = forms.errors_by_field(error, choice)
        if isinstance(error, FieldError) and error.field == forms.ON_FIELD:
            field_errors = {forms.ON_FIELD: refusal(error)}
        return _form(request, viewer, case_id, action, entered, field_errors, refusal(error), status=422)
    return RedirectResponse(f"/cases/{case_id}?done={quote(action)}", status_code=303)


CORRECTION_REASON = "correction_reason"  # not a playbook field name ("reason" is one: a review's reason per priority)


@router.get("/cases/{case_id}/events/{seq}", response_class=HTMLResponse)
def amendment_form(request: Request, case_id: int, seq: int) -> HTMLResponse:
    """An action recorded in error, its form filled as it was recorded, to correct."""
    viewer = signed_in(request)
    recorded = reading.recorded_action(viewer, case_id, seq)
    entered = {name: value.split(",") if _is_choices(recorded, name) else [value] for name, value in recorded.values.items()}
    entered[forms.ON_FIELD] = [recorded.on.isoformat()]
    return _amendment_form(request, viewer, case_id, recorded, entered, {}, None)


@router.post("/cases/{case_id}/events/{seq}")
async def amend_action(request: Request, case_id: int, seq: int) -> Response:
    """Save the correction of an action: the whole form goes, and the correction finds what changed."""
    viewer = signed_in(request)
    form = await request.form()
    entered = {key: [str(v) for v in form.getlist(key)] for key in form.keys() if key != "csrftoken"}
    recorded = reading.recorded_action(viewer, case_id, seq)
    fields = forms.submitted(recorded.choice, entered)
    cleared = {name: "" for name in recorded.values if name not in fields}  # a blank now where a value was
    reason = (entered.get(CORRECTION_REASON) or [""])[0]
    try:
        on_text = (entered.get(forms.ON_FIELD) or [""])[0].strip()
        on = _day(on_text, N_("the date it took effect"), forms.ON_FIELD) if on_text else None
        case_flows.amend_action(viewer, case_id, seq, {**cleared, **fields}, on, reason)
    except CaseworkError as error:
        if status_of(error) in (403, 404):
            raise
        field_errors = forms.errors_by_field(error, recorded.choice)
        if isinstance(error, FieldError) and error.field == forms.ON_FIELD:
            field_errors = {forms.ON_FIELD: refusal(error)}
        elif str(error).startswith("a correction needs a reason"):
            field_errors = {CORRECTION_REASON: refusal(error)}
        return _amendment_form(request, viewer, case_id, recorded, entered, field_errors, refusal(error), status=422)
    return RedirectResponse(f"/cases/{case_id}?done={quote('the correction')}", status_code=303)


def _is_choices(recorded: RecordedAction, name: str) -> bool:
    return any(f.name == name and f.type == "choices" for f in recorded.choice.fields)


def _amendment_form(request: Request, viewer: Viewer, case_id: int, recorded: RecordedAction, entered: dict[str, list[str]],
                    field_errors: Mapping[str, str | Said], summary: str | Said | None, status: int = 200) -> HTMLResponse:
    case = reading.case(viewer, case_id)
    built = forms.form_fields(recorded.choice, case.priorities, entered, field_errors)
    return render(request, "action.html", status, case=case, choice=recorded.choice, fields=built, summary=summary,
                  field_errors=field_errors, on_field=forms.ON_FIELD, on_value=(entered.get(forms.ON_FIELD) or [""])[0],
                  on_error=field_errors.get(forms.ON_FIELD), viewer=viewer, target=f"/cases/{case_id}/events/{recorded.seq}",
                  reason=(entered.get(CORRECTION_REASON) or [""])[0], reason_error=field_errors.get(CORRECTION_REASON))


# The fields of a priority as its correction form shows them: name, label, kind of input.
PRIORITY_FORM = (("title", N_("Priority"), "text"), ("success_criteria", N_("Success criteria"), "long"),
                 ("lead", N_("Who leads it"), "text"), ("target_on", N_("Target date"), "date"),
                 ("resources", N_("Resources"), "long"))


@router.get("/cases/{case_id}/priorities/{number}", response_class=HTMLResponse)
def priority_form(request: Request, case_id: int, number: int) -> HTMLResponse:
    return _priority_form(request, signed_in(request), case_id, number, None, {}, None)


@router.post("/cases/{case_id}/priorities/{number}")
async def correct_priority(request: Request, case_id: int, number: int) -> Response:
    """Save a priority's correction, or withdraw it; a refusal is said beside the field it is about."""
    viewer = signed_in(request)
    form = await request.form()
    entered = {name: str(form.get(name, "")) for name, _, _ in PRIORITY_FORM}
    reason = str(form.get("reason", ""))
    withdraw = form.get("intent") == "withdraw"
    try:  # the whole form goes: the correction itself finds what changed, and refuses a form that changed nothing
        case_flows.correct_priority(viewer, case_id, number, {} if withdraw else entered, reason, withdraw=withdraw)
    except CaseworkError as error:
        message = str(error)
        field = "reason" if "reason" in message else next((n for n, _, _ in PRIORITY_FORM if n in message), None)
        said = refusal(error)
        return _priority_form(request, viewer, case_id, number, {**entered, "reason": reason},
                              {field: said} if field else {}, said, status=422)
    done = "priority withdrawn" if withdraw else "priority corrected"
    return RedirectResponse(f"/cases/{case_id}?done={quote(done)}", status_code=303)


@router.get("/cases/{case_id}/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_form(request: Request, case_id: int, meeting_id: int) -> HTMLResponse:
    return _withdraw_form(request, signed_in(request), case_id, "meetings", meeting_id, "", None)


@router.post("/cases/{case_id}/meetings/{meeting_id}")
async def withdraw_meeting(request: Request, case_id: int, meeting_id: int) -> Response:
    """Withdraw a meeting, review or visit recorded in error; a refusal is said beside the reason."""
    return await _withdraw(request, case_id, "meetings", meeting_id)


@router.get("/cases/{case_id}/classifications/{classification_id}", response_class=HTMLResponse)
def classification_form(request: Request, case_id: int, classification_id: int) -> HTMLResponse:
    return _withdraw_form(request, signed_in(request), case_id, "classifications", classification_id, "", None)


@router.post("/cases/{case_id}/classifications/{classification_id}")
async def withdraw_classification(request: Request, case_id: int, classification_id: int) -> Response:
    """Withdraw a classification the case recorded in error; a refusal is said beside the reason."""
    return await _withdraw(request, case_id, "classifications", classification_id)


async def _withdraw(request: Request, case_id: int, what: str, entry: int) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    reason = str(form.get("reason", ""))
    withdraw = case_flows.withdraw_meeting if what == "meetings" else case_flows.withdraw_classification
    try:
        withdraw(viewer, case_id, entry, reason)
    except (InvalidInput, GuardFailed) as error:
        return _withdraw_form(request, viewer, case_id, what, entry, reason, refusal(error), status=422)
    done = "meeting withdrawn" if what == "meetings" else "classification withdrawn"
    return RedirectResponse(f"/cases/{case_id}?done={quote(done)}", status_code=303)


# A meeting as the page that withdraws it names it, inside a sentence.
MEETING_WORDS: dict[str, str] = {MeetingKind.PROGRESS_REVIEW: N_("progress review"), MeetingKind.MONITORING_VISIT: N_("monitoring visit"),
                 MeetingKind.TIG: N_("TIG meeting"), MeetingKind.SUMMATIVE: N_("summative meeting")}


def _withdraw_form(request: Request, viewer: Viewer, case_id: int, what: str, entry: int, reason: str, error: str | Said | None,
                   status: int = 200) -> HTMLResponse:
    """The page that withdraws one recorded entry: a meeting (review, visit) or a classification."""
    case = reading.case(viewer, case_id)
    if what == "meetings":
        meeting = next((m for m in case.meetings if m.id == entry and m.withdrawn_on is None and m.held_on), None)
        if meeting is None or meeting.held_on is None:
            raise NotFound(N_("case %(case)s has no meeting %(entry)s still on record: go back to the case"), case=case_id, entry=entry)
        words = Said(N_("the %(kind)s of %(day)s"), kind=Said(MEETING_WORDS.get(meeting.kind, meeting.kind)), day=meeting.held_on)
        consequence = Said(N_("It leaves the reviews and reports, the duty it met is due again, and its letter is marked as made "
                              "before a correction."))
    else:
        found = next((c for c in case.classifications if c.id == entry and c.case_id == case_id and c.withdrawn_on is None), None)
        if found is None:
            raise NotFound(N_("case %(case)s recorded no classification %(entry)s still standing: go back to the case"), case=case_id,
                           entry=entry)
        words = Said(N_("the %(scheme)s “%(value)s” of %(day)s"), scheme=found.scheme.replace("_", " "),
                     value=found.value.replace("_", " "), day=found.effective_on)
        consequence = Said(N_("The school is no longer placed in it, and the deadlines it set are cancelled."))
    return render(request, "withdraw.html", status, case=case, what=words, consequence=consequence, reason=reason, error=error,
                  target=f"/cases/{case_id}/{what}/{entry}", viewer=viewer)


def _priority_of(case: CaseSummary, number: int) -> PriorityView:
    found = next((p for p in case.priorities if p.number == number), None)
    if found is None:
        raise NotFound(N_("case %(case)s has no priority %(number)s still pursued: go back to the case"), case=case.id, number=number)
    return found


def _priority_form(request: Request, viewer: Viewer, case_id: int, number: int, entered: dict[str, str] | None,
                   field_errors: Mapping[str, str | Said], summary: str | Said | None, status: int = 200) -> HTMLResponse:
    case = reading.case(viewer, case_id)
    priority = _priority_of(case, number)
    values = entered or {**{name: field_text(getattr(priority, name)) for name, _, _ in PRIORITY_FORM}, "reason": ""}
    return render(request, "priority.html", status, case=case, priority=priority, fields=PRIORITY_FORM, values=values,
                  field_errors=field_errors, summary=summary, viewer=viewer)


def _choice(viewer: Viewer, case_id: int, action: str) -> Any:
    stage, choices = reading.actions(viewer, case_id)
    for choice in choices:
        if choice.action == action:
            return choice
    raise NotFound(N_("'%(action)s' is not open from the case's stage (%(stage)s): go back to the case to see what is"), action=action,
                   stage=stage)


def _form(request: Request, viewer: Viewer, case_id: int, action: str, entered: dict[str, list[str]],
          field_errors: Mapping[str, str | Said], summary: str | Said | None, status: int = 200) -> HTMLResponse:
    choice = _choice(viewer, case_id, action)
    case = reading.case(viewer, case_id)
    built = forms.form_fields(choice, case.priorities, entered, field_errors)
    on_value = (entered.get(forms.ON_FIELD) or [today().isoformat()])[0]
    return render(request, "action.html", status, case=case, choice=choice, fields=built, summary=summary,
                  field_errors=field_errors, on_field=forms.ON_FIELD, on_value=on_value,
                  on_error=field_errors.get(forms.ON_FIELD), viewer=viewer)


@router.get("/documents/{document_id}")
def download(request: Request, document_id: int) -> Response:
    viewer = signed_in(request)
    data, name = reading.document_file(viewer, document_id)
    return Response(data, media_type=reading.DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/letters/{document_id}", response_class=HTMLResponse)
def letter_page(request: Request, document_id: int) -> HTMLResponse:
    """A letter to read in the browser; a draft's wording to edit, its Word version to upload, and the form to issue it."""
    viewer = signed_in(request)
    return _letter_page(request, viewer, reading.letter(viewer, document_id))


def _letter_page(request: Request, viewer: Viewer, letter: LetterView, status: int = 200, error: CaseworkError | None = None,
                 entered: dict[str, str] | None = None, form: str = "") -> HTMLResponse:
    """The letter page; a refusal is said beside its field (``FieldError``) or above the form it came from."""
    field = error.field if isinstance(error, FieldError) else None
    return render(request, "letter.html", status, letter=letter, entered=entered or {}, form=form,
                  field_errors={field: refusal(error)} if field and error else {}, summary=refusal(error) if error else None, viewer=viewer)


async def _letter_change(request: Request, document_id: int, form_name: str,
                         change: Callable[[Viewer, dict[str, str]], LetterView], done: str) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    entered = {name: str(value) for name, value in form.items() if not isinstance(value, UploadFile) and name != "csrftoken"}
    try:
        change(viewer, entered)
    except CaseworkError as error:
        if status_of(error) in (403, 404):
            raise
        return _letter_page(request, viewer, reading.letter(viewer, document_id), 422, error, entered, form_name)
    return RedirectResponse(f"/letters/{document_id}?done={quote(done)}", status_code=303)


def _day(value: str, what: str, field: str) -> date:
    """A date from a form, refused beside its field (``what`` names it in the catalog's words)."""
    try:
        return parse_day(value, Words(what))
    except InvalidInput as error:
        raise FieldError(field, error.message, **error.parameters) from None


async def _uploaded(form: Any, limit: int, missing: str) -> tuple[str, bytes]:
    """The name and bytes of the file a form's ``file`` field carries, read to one byte past
    ``limit`` (so the use case refuses a larger one by its size); ``missing`` when none was chosen."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput(missing)
    return upload.filename, await upload.read(limit + 1)


@router.post("/letters/{document_id}/edit")
async def edit_letter(request: Request, document_id: int) -> Response:
    """The form holds the draft's free text, each field by name: the use case refuses any other."""
    return await _letter_change(request, document_id, "edit", lambda viewer, entered: case_flows.edit_letter(
        viewer, document_id, entered), "the wording is saved")


@router.post("/letters/{document_id}/upload")
async def upload_letter(request: Request, document_id: int) -> Response:
    upload = (await request.form()).get("file")
    data = await upload.read(letters.WORD_LIMIT + 1) if isinstance(upload, UploadFile) and upload.filename else None

    def change(viewer: Viewer, _: dict[str, str]) -> LetterView:
        if data is None or not isinstance(upload, UploadFile):
            raise FieldError("file", N_("field file: choose the .docx file you finished in Word"))
        return case_changes.upload_letter(viewer.email, document_id, upload.filename or "", data)
    return await _letter_change(request, document_id, "upload", change, "the Word version replaces the draft")


@router.post("/letters/{document_id}/issue")
async def issue_letter(request: Request, document_id: int) -> Response:
    """Each recipient's choice is ``how.ROLE`` (and its day ``on.ROLE``): a recipient left unsaid is refused by the use case."""
    def change(viewer: Viewer, entered: dict[str, str]) -> LetterView:
        on = _day(entered.get("on", ""), N_("the date of issue"), "on")
        sendings: dict[str, tuple[str, date | None]] = {}
        for key, how in entered.items():
            role = key.removeprefix("how.")
            if role != key and how:
                day = entered.get(f"on.{role}")
                sendings[role] = (how, _day(day, N_("the day it went"), f"on.{role}") if day else None)
        return case_flows.issue_letter(viewer, document_id, on, sendings)
    return await _letter_change(request, document_id, "issue", change, "the letter is issued")


@router.post("/cases/{case_id}/notes")
async def add_note(request: Request, case_id: int) -> Response:
    """A note on the case; an empty one is refused beside the field."""
    viewer = signed_in(request)
    form = await request.form()
    text = str(form.get("note", ""))
    try:
        case_changes.add_note(viewer.email, case_id, text, today())
    except InvalidInput as error:
        return _case_page(request, viewer, case_id, status=422, note_error=refusal(error), note=text)
    return RedirectResponse(f"/cases/{case_id}?done=note+added#notes", status_code=303)


@router.post("/cases/{case_id}/evidence")
async def add_evidence(request: Request, case_id: int) -> Response:
    """A file kept with the case; a refusal (its type, its size, a virus, the scanner down) beside the field."""
    viewer = signed_in(request)
    form = await request.form()
    try:
        name, data = await _uploaded(form, EVIDENCE_LIMIT, N_("choose the file to keep with the case"))
        case_changes.add_evidence(viewer.email, case_id, name, data, str(form.get("description", "")), today())
    except (InvalidInput, Unavailable) as error:
        return _case_page(request, viewer, case_id, status=status_of(error), evidence_error=refusal(error))
    return RedirectResponse(f"/cases/{case_id}?done=file+kept#evidence", status_code=303)


@router.get("/evidence/{evidence_id}")
def evidence(request: Request, evidence_id: int) -> Response:
    data, name = reading.evidence_file(signed_in(request), evidence_id)
    return Response(data, media_type="application/octet-stream", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/exports/cases.{form}")
def export_cases(request: Request, form: str, stage: str = "", school_type: str = "", lead: str = "", ip: str = "",
                 overdue: str = "", q: str = "", sort: str = "newest") -> Response:
    """The case list with the filters of the page it was asked from, every page of it."""
    viewer = signed_in(request)
    query = reading.CaseQuery(stage=stage or None, school_type=school_type or None, lead=lead or None, ip=ip or None,
                              overdue=overdue == "yes", search=q or None, sort=sort)
    return _download(*reading.export_cases(viewer, query, form), form)


@router.get("/exports/deadlines.{form}")
def export_deadlines(request: Request, form: str) -> Response:
    """Every live deadline of the cases this person may see."""
    return _download(*reading.export_deadlines(signed_in(request), None, False, form), form)


@router.get("/exports/termly.{form}")
def export_termly(request: Request, form: str, term: str = "", authority: str = "") -> Response:
    """The termly picture of the dashboard's term (and authority)."""
    return _download(*reading.export_termly(signed_in(request), term or None, form, authority or None), form)


def _download(data: bytes, name: str, form: str) -> Response:
    return Response(data, media_type=EXPORT_TYPES[form], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/schools", response_class=HTMLResponse)
def schools(request: Request, imported: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return render(request, "schools.html", schools=reading.schools(viewer), imported=imported, error=None, viewer=viewer)


@router.get("/schools/{urn}", response_class=HTMLResponse)
def school_page(request: Request, urn: str, done: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return _school_page(request, viewer, urn, done=done)


def _school_page(request: Request, viewer: Viewer, urn: str, status: int = 200, done: str = "", error: str | Said | None = None,
                 field: str | None = None, entered: dict[str, str] | None = None) -> HTMLResponse:
    found, rows, classifications = reading.school(viewer, urn)
    ips = [p for p in reading.people(viewer) if p.role in IP_PLACE] if viewer.may(Task.IMPORT_SCHOOLS) else []
    return render(request, "school.html", status, school=found, rows=rows, classifications=classifications, viewer=viewer,
                  done=done, error=error, error_field=field, entered=entered or {}, ips=ips,
                  has_open_case=any(r.closed_on is None for r in rows))


@router.post("/schools/{urn}/contacts")
async def record_contacts(request: Request, urn: str) -> Response:
    """The school's head, chair, clerk (name and email) and IP; a refusal is said beside its field."""
    viewer = signed_in(request)
    form = await request.form()
    entered = {key: str(value).strip() for key, value in form.items() if key != "csrftoken" and isinstance(value, str)}
    contacts = {place: (entered.get(f"{place}_name", ""), entered.get(f"{place}_email", "")) for place in ("head", "chair", "clerk")}
    try:
        administration.record_school_contacts(viewer, urn, contacts, entered.get("ip") or None, entered.get("address") or None,
                                              entered.get("language") or None)
    except CaseworkError as error:
        if status_of(error) in (403, 404):
            raise
        return _school_page(request, viewer, urn, 422, error=refusal(error),
                            field=error.field if isinstance(error, FieldError) else "head_email", entered=entered)
    return RedirectResponse(f"/schools/{quote(urn)}?done=contacts", status_code=303)


@router.post("/cases/{case_id}/documents/{kind}")
def regenerate(request: Request, case_id: int, kind: str) -> Response:
    viewer = signed_in(request)
    made = case_flows.generate_document(viewer, case_id, kind)
    return RedirectResponse(f"/cases/{case_id}?done={quote(kind + ' version ' + str(made.version))}", status_code=303)


@router.post("/schools/import")
async def import_schools(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    try:
        imported = administration.import_schools(viewer, *await _uploaded(
            form, administration.MAX_UPLOAD, N_("choose the CSV file exported from Get Information About Schools")))
    except CaseworkError as error:
        if status_of(error) == 403:
            raise  # not theirs to do: the error page says so
        return render(request, "schools.html", 422, schools=reading.schools(viewer), imported="", error=refusal(error), viewer=viewer)
    return RedirectResponse(f"/schools?imported={imported.added}+added,+{imported.updated}+updated", status_code=303)


def _several_authorities(viewer: Viewer) -> list[AuthorityView]:
    """The authorities of someone working for several, for a page's choice between them; none
    (and no query) for someone working for one."""
    return reading.authorities(viewer) if len(viewer.authorities) > 1 else []


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, done: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return _people_page(request, viewer, 200, done=done)


def _people_page(request: Request, viewer: Viewer, status: int, done: str = "", error: str | Said | None = None,
                 entered: dict[str, str] | None = None) -> HTMLResponse:
    mine = _several_authorities(viewer)
    return render(request, "people.html", status, people=reading.people(viewer), viewer=viewer, done=done, error=error,
                  entered=entered or {}, roles=[r.value for r in Role], staff_roles=[r.value for r in STAFF],
                  sign_in_passwords=sign_in_settings().passwords, several=bool(mine),
                  managed=[a for a in mine if a.role and Role(a.role) in Task.MANAGE_PEOPLE.roles])


@router.post("/people")
async def add_person(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    entered = {key: str(form.get(key, "")) for key in ("name", "email", "role", "organisation")}
    chosen = [str(code) for code in form.getlist("authority")]
    try:
        person = administration.add_person(viewer, entered["name"], entered["email"], entered["role"], entered["organisation"],
                                           invite_from=_site(request), authority=chosen)
    except CaseworkError as error:
        if status_of(error) == 403:
            raise  # not theirs to do: the error page says so
        return _people_page(request, viewer, 422, error=refusal(error), entered=entered)
    invited = " and sent a link to choose a password" if administration.invited(person.role) else ""
    return RedirectResponse(f"/people?done={quote('Added ' + person.email + invited)}", status_code=303)


@router.post("/people/link")
async def send_password_link(request: Request) -> Response:
    """A senior officer sends someone a new one-time link to choose a password (a lost
    invitation, a forgotten password, a lock to lift at once)."""
    viewer = signed_in(request)
    form = await request.form()
    try:
        person = administration.send_password_link(viewer, str(form.get("email", "")), _site(request))
    except CaseworkError as error:
        if status_of(error) == 403:
            raise
        return _people_page(request, viewer, 422, error=refusal(error), entered={})
    return RedirectResponse(f"/people?done={quote('A link to choose a password was sent to ' + person.email)}", status_code=303)


@router.post("/people/role")
async def change_role(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    email, role = str(form.get("email", "")), str(form.get("role", ""))
    try:
        person = administration.change_role(viewer, email, role)
    except CaseworkError as error:
        if status_of(error) == 403:
            raise  # not theirs to do: the error page says so
        return _people_page(request, viewer, 422, error=refusal(error), entered={})
    return RedirectResponse(f"/people?done={quote(person.email + ' is now ' + role_words(person.role))}", status_code=303)


@router.post("/people/authority")
async def grant_role(request: Request) -> Response:
    """A senior officer gives a member of staff a role in one of the officer's authorities."""
    viewer = signed_in(request)
    form = await request.form()
    email, code, role = (str(form.get(key, "")) for key in ("email", "authority", "role"))
    try:
        person = administration.grant_role(viewer, email, code, role)
    except CaseworkError as error:
        if status_of(error) == 403:
            raise
        return _people_page(request, viewer, 422, error=refusal(error), entered={})
    where = next((a.name for a in reading.authorities(viewer) if a.code == code), code)
    return RedirectResponse(f"/people?done={quote(f'{person.name} is now {role_words(role)} in {where}')}", status_code=303)


@router.get("/me", response_class=HTMLResponse)
def me(request: Request, stopped: str = "", saved: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return _me_page(request, viewer, stopped=stopped == "yes", saved=saved == "yes", language_saved=saved == "language")


def _me_page(request: Request, viewer: Viewer, status: int = 200, **shown: Any) -> HTMLResponse:
    """The person's own page: their calendar address, its reminder, the language of their emails."""
    context: dict[str, Any] = {"address": None, "has_feed": administration.has_feed(viewer), "stopped": False,
                               "alarm": str(administration.alarm_days(viewer)), "alarm_error": None, "saved": False,
                               "language": administration.language_of(viewer), "language_error": None, "language_saved": False}
    return render(request, "me.html", status, viewer=viewer, **{**context, **shown})


@router.post("/me/reminder")
async def set_reminder(request: Request) -> Response:
    """How many days before each deadline the calendar reminds this person; a refusal beside the field."""
    viewer = signed_in(request)
    entered = str((await request.form()).get("alarm_days", ""))
    try:
        administration.set_alarm_days(viewer, parse_whole(entered, "the days before", minimum=0))
    except InvalidInput as error:
        return _me_page(request, viewer, 422, alarm=entered, alarm_error=refusal(error))
    return RedirectResponse("/me?saved=yes", status_code=303)


@router.post("/me/language")
async def set_language(request: Request) -> Response:
    """The language of this person's pages and emails; a refusal beside the field. The browser's
    own choice (the switch) is forgotten, so the pages follow what was just saved."""
    viewer = signed_in(request)
    chosen = str((await request.form()).get("language", ""))
    try:
        administration.set_language(viewer, viewer.email, chosen)
    except InvalidInput as error:
        return _me_page(request, viewer, 422, language=chosen, language_error=refusal(error))
    response = RedirectResponse("/me?saved=language", status_code=303)
    response.delete_cookie(language.COOKIE)
    return response


@router.post("/me/calendar", response_class=HTMLResponse)
def new_calendar_address(request: Request) -> HTMLResponse:
    viewer = signed_in(request)
    token = administration.subscribe(viewer, viewer.email)
    address = str(request.url_for("feed", token=token))
    return _me_page(request, viewer, address=address, has_feed=True)


@router.post("/me/calendar/stop")
def stop_calendar_address(request: Request) -> Response:
    viewer = signed_in(request)
    administration.unsubscribe(viewer, viewer.email)
    return RedirectResponse("/me?stopped=yes", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, term: str = "", category: str = "", rag_page: int = 1, authority: str = "") -> HTMLResponse:
    """The term's figures: across the person's authorities, or in one they choose."""
    viewer = signed_in(request)
    board, terms = reading.dashboard(viewer, term, category, rag_page, authority or None)
    return render(request, "dashboard.html", board=board, terms=terms, viewer=viewer, authorities=_several_authorities(viewer),
                  authority=authority, rag_link=_page_link(request, "rag_page", "#rag"))


@router.post("/dashboard/termly-report")
async def termly_report(request: Request) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    made = case_flows.termly_report(viewer, str(form.get("term", "")) or None, str(form.get("authority", "")) or None)
    return FileResponse(made.path, media_type=reading.DOCX, filename=Path(made.path).name)


@router.get("/concerns", response_class=HTMLResponse)
def concerns(request: Request, imported: str = "") -> HTMLResponse:
    """The schools the data flags without an open case, for a lead to review."""
    viewer = signed_in(request)
    return render(request, "concerns.html", suggestions=reading.suggested_cases(viewer), viewer=viewer, imported=imported,
                  error=None, on="")


@router.post("/concerns/import")
async def import_concerns(request: Request) -> Response:
    """Figures uploaded from the Concerns page: checked against the triggers, concerns raised; a
    refusal is said beside the file and nothing is kept."""
    viewer = signed_in(request)
    form = await request.form()
    on_text = str(form.get("on", "")).strip()
    try:
        name, data = await _uploaded(form, administration.MAX_UPLOAD, N_("choose the CSV file of figures to upload"))
        on = _day(on_text, N_("the day the figures were received"), "on") if on_text else None
        report = administration.import_indicators_file(viewer, name, data, on)
    except CaseworkError as error:
        if status_of(error) == 403:
            raise
        return render(request, "concerns.html", 422, suggestions=reading.suggested_cases(viewer), viewer=viewer, imported="",
                      error=refusal(error), error_field="on" if isinstance(error, FieldError) else "file", on=on_text)
    flagged = len(report.flagged)
    summary = f"{report.figures} figures read; {flagged} school{'' if flagged == 1 else 's'} flagged"
    return RedirectResponse(f"/concerns?{urlencode({'imported': summary})}", status_code=303)


@router.post("/concerns/{urn}/open")
def open_suggested_case(request: Request, urn: str) -> Response:
    viewer = signed_in(request)
    opened = case_flows.open_flagged_case(viewer, urn)
    return RedirectResponse(f"/cases/{opened.id}?done=case+opened", status_code=303)


@router.get("/term-dates", response_class=HTMLResponse)
def term_dates(request: Request, moved: str = "") -> HTMLResponse:
    """Every calendar's terms for every member of staff; for a senior officer also the deadlines
    changed term dates would move, to apply."""
    viewer = signed_in(request)
    calendars: dict[str, list[Any]] = {}
    if viewer.may(Task.APPLY_TERM_DATES):
        for move in reading.term_date_moves(viewer):
            calendars.setdefault(move.calendar, []).append(move)
    return render(request, "term_dates.html", calendars=calendars, moved=moved, viewer=viewer,
                  terms=reading.term_calendars(today() - timedelta(days=366)))


@router.post("/term-dates/{calendar}/apply")
def apply_term_dates(request: Request, calendar: str) -> Response:
    viewer = signed_in(request)
    moved = administration.apply_term_dates(viewer, calendar)
    return RedirectResponse(f"/term-dates?moved={len(moved)}", status_code=303)


@router.get("/playbooks", response_class=HTMLResponse)
def playbooks(request: Request, moved: str = "", refused: str = "") -> HTMLResponse:
    viewer = signed_in(request)
    return render(request, "playbooks.html", books=reading.playbook_plans(viewer), moved=moved, refused=refused, viewer=viewer)


@router.post("/playbooks/{name}/migrate")
async def migrate_playbook(request: Request, name: str) -> Response:
    viewer = signed_in(request)
    form = await request.form()
    plans, moved = administration.migrate_playbook(viewer, name, str(form.get("to", "")))
    return RedirectResponse(f"/playbooks?moved={len(moved)}&refused={len(plans) - len(moved)}", status_code=303)


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
