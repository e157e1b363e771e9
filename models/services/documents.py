"""Letters and documents: Jinja2 templates of WordprocessingML on the LA's letterhead.

Each document is a Jinja2 template of the body of a Word document (``templates/KIND.xml.j2``;
an LA may override any of them in ``<config>/templates``, or supply a whole Word document
``<config>/templates/KIND.docx`` with Jinja2 tags, rendered with docxtpl). A letter is the
letterhead package (``models.adapters.docx.letterhead``) with the rendered body put in, which keeps a
letter to a few milliseconds. Data can never break the file or run code: the environment
escapes every value for XML, refuses undefined variables (a blank in a statutory letter is
worse than no letter) and is sandboxed, so a template edited by an LA cannot run code.

Generated documents are stored under ``documents/`` of the data root (``SCC_DATA_DIR``,
see ``models.db.installation``), private to the account, one file per version; regenerating adds a version and keeps the earlier ones, and each
generation is an audit event.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import ColumnElement, event, func, insert, select
from sqlalchemy.orm import Session, selectinload

from models.adapters.docx.letterhead import Letterhead, base_package, letterhead
from models.adapters.docx.sandbox import LimitedSandbox, TemplateTimeout, time_limit
from models.db import audit
from models.db.base import table_of
from models.db.cases import Case, Document
from models.db.installation import write_private
from models.db.queries import latest_held_meeting
from models.db.storage import FileStore, file_store
from models.errors import DocumentError, InvalidInput, NotFound, NotPermitted
from models.messages import N_, Either, Named, Words
from models.rules.playbook import DOCUMENT_KINDS, LETTER_KINDS, Playbook
from models.rules.roles import a_role, roles_in_words
from models.rules.welsh import soft_mutation
from models.services.letter_context import CONTEXT, REPORTED_MEETING, case_context, statement_copies
from models.settings.environment import SHIPPED_CONFIG, config_dir
from models.vocab import DocumentStatus, Language, Role

__all__ = [
    "TemplateCheck",
    "available_kinds",
    "check_templates",
    "generate",
    "generate_many",
    "package",
    "produce_for_action",
    "render",
    "render_body",
    "store",
    "verify_stored",
]

SHIPPED_TEMPLATES = SHIPPED_CONFIG.parent / "templates"
REPORTS = frozenset({"termly_report"})  # templates over every case, not one
# The names the termly report's template may use (models.services.termly_report builds them).
CONTEXT_REPORT = frozenset({"letterhead", "letter", "report", "rows", "totals", "rag_colours"})


def _override() -> Path:
    return config_dir() / "templates"


def _environment(override: Path) -> SandboxedEnvironment:
    """One compiled environment per state of the LA's override folder, so an override added
    later is used at once instead of the shipped template cached before it."""
    present = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in override.glob("*.j2"))) if override.exists() else ()
    return _compiled(override, present)


@lru_cache(maxsize=8)
def _compiled(override: Path, present: tuple[tuple[str, int], ...]) -> SandboxedEnvironment:
    environment = LimitedSandbox(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(override)), jinja2.FileSystemLoader(str(SHIPPED_TEMPLATES))]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["soft_mutation"] = soft_mutation  # a Welsh letter's "o Ddeddf", "i Gyngor"
    return environment


def _word_template(kind: str) -> Path | None:
    """An LA's own Word template for this kind, if it has one."""
    candidate = _override() / f"{kind}.docx"
    return candidate if candidate.exists() else None


def available_kinds() -> list[str]:
    """Every document kind with a template (shipped, overridden, or an LA's Word template)."""
    names = {p.name.removesuffix(".xml.j2") for folder in (_override(), SHIPPED_TEMPLATES) if folder.exists()
             for p in folder.glob("*.xml.j2") if not p.name.startswith("_") and "." not in p.name.removesuffix(".xml.j2")}
    if _override().exists():
        names |= {p.stem for p in _override().glob("*.docx")}
    return sorted(names - REPORTS)


def _raise_for(name: str, exc: Exception) -> DocumentError:
    if isinstance(exc, jinja2.UndefinedError):
        return DocumentError(f"template {name}: {exc.message}: fix the template or the case's data")
    if isinstance(exc, SecurityError):
        return DocumentError(f"template {name} tried something unsafe and was stopped: {exc}")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return DocumentError(f"template {Path(exc.filename).name if exc.filename else name}:{exc.lineno}: {exc.message}")
    return DocumentError(f"template {name}: {exc}")


def _template_name(kind: str, language: str = "en") -> str:
    """``warning_notice.xml.j2``, or in Welsh ``warning_notice.cy.xml.j2`` (an LA overrides either)."""
    return f"{kind}.xml.j2" if language == "en" else f"{kind}.{language}.xml.j2"


def _template(kind: str, language: str = "en") -> jinja2.Template:
    name = _template_name(kind, language)
    try:
        return _environment(_override()).get_template(name)
    except jinja2.TemplateNotFound:
        if language != "en":
            raise InvalidInput(N_("no Welsh template for document '%(kind)s': write it as %(name)s in the templates folder"), kind=kind,
                               name=name) from None
        raise InvalidInput(N_("no template for document '%(kind)s': available: %(kinds)s"), kind=kind,
                           kinds=", ".join(available_kinds())) from None
    except jinja2.TemplateError as exc:
        raise _raise_for(name, exc) from None


def has_welsh(kind: str) -> bool:
    """Whether the kind can be made in Welsh (a ``.cy.xml.j2`` template, shipped or the LA's)."""
    name = _template_name(kind, Language.WELSH)
    return any((folder / name).exists() for folder in (_override(), SHIPPED_TEMPLATES))


def letter_language(case: Case, kind: str) -> Language:
    """The language a case's document is made in: a school in Wales corresponding in Welsh, or
    in both, has its letters in Welsh, or bilingual (Welsh first); else English. A kind with no
    Welsh template yet is made in English."""
    if case.jurisdiction != "wales" or not has_welsh(kind):
        return Language.ENGLISH
    return Language(case.school.language)


@lru_cache(maxsize=64)
def _variables_of(source: str) -> frozenset[str]:
    return frozenset(meta.find_undeclared_variables(_environment(_override()).parse(source)))


def template_variables(kind: str, language: str = Language.ENGLISH) -> frozenset[str]:
    """The context names a kind's template uses (what ``case_context`` must read): its English
    one (an LA's Word template where it has one), or its Welsh one."""
    word = _word_template(kind) if language == Language.ENGLISH else None
    if word is not None:
        return _variables_of(_word_source(word, word.stat().st_mtime_ns))
    template = _template(kind, language)
    assert template.filename is not None
    return _variables_of(Path(template.filename).read_text(encoding="utf-8"))


@lru_cache(maxsize=16)
def _word_source(path: Path, mtime_ns: int) -> str:
    """The Jinja2 text of an LA's Word template, as docxtpl will see it."""
    from docxtpl import DocxTemplate  # only for an LA's own Word template: it loads lxml and python-docx (start-up time)

    template = DocxTemplate(str(path))
    try:
        template.init_docx()
        return str(template.patch_xml(template.get_xml()))
    except (zipfile.BadZipFile, KeyError):
        raise DocumentError(f"template {path.name}: not a Word .docx file: save it as .docx") from None


# The largest body a template may produce: a letter is kilobytes; an LA template that loops
# without end is stopped here instead of filling the disk.
MAX_BODY = 5_000_000


def render_body(kind: str, context: dict[str, Any], language: str = "en") -> str:
    """The template's WordprocessingML, or a DocumentError naming the template and the problem."""
    try:
        parts: list[str] = []
        size = 0
        with time_limit():
            for chunk in _template(kind, language).generate(**context):
                size += len(chunk)
                if size > MAX_BODY:
                    raise DocumentError(f"template {kind}.xml.j2 produced more than {MAX_BODY:,} characters: "
                                        "check its loops")
                parts.append(chunk)
        return "".join(parts)
    except (jinja2.TemplateError, SecurityError) as exc:
        raise _raise_for(f"{kind}.xml.j2", exc) from None
    except (OverflowError, TemplateTimeout) as exc:  # the sandbox's limit on range(), or the clock
        raise DocumentError(f"template {kind}.xml.j2 was stopped: {exc}: check its loops") from None


def _render_word(path: Path, context: dict[str, Any]) -> bytes:
    """An LA's own Word template, rendered with docxtpl in the same sandboxed, strict environment."""
    from docxtpl import DocxTemplate  # only for an LA's own Word template (start-up time)

    environment = LimitedSandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        template = DocxTemplate(str(path))
        with time_limit():
            template.render(context, jinja_env=environment, autoescape=True)
        buffer = io.BytesIO()
        template.save(buffer)
    except (jinja2.TemplateError, SecurityError) as exc:
        raise _raise_for(path.name, exc) from None
    except (OverflowError, TemplateTimeout) as exc:
        raise DocumentError(f"template {path.name} was stopped: {exc}: check its loops") from None
    except (zipfile.BadZipFile, KeyError):
        raise DocumentError(f"template {path.name}: not a Word .docx file: save it as .docx") from None
    return buffer.getvalue()


def package(body: str, head: Letterhead, dated: date, title: str) -> bytes:
    """A .docx: the letterhead's package with the rendered body appended as its document part,
    its properties saying who wrote it (the authority) and when (the letter's date)."""
    rest, document = base_package(head)
    at = document.rindex("<w:sectPr")
    buffer = io.BytesIO(rest)
    # Appending keeps the letterhead's parts as they were compressed; only the letter's two are.
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as out:
        out.writestr("docProps/core.xml", _core_properties(head.authority, dated, title))
        out.writestr("word/document.xml", document[:at] + body + document[at:])
    return buffer.getvalue()


def _core_properties(author: str, dated: date, title: str) -> str:
    stamp = f"{dated.isoformat()}T00:00:00Z"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
            f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def _recipients(kind: str, context: dict[str, Any], case: Case) -> list[dict[str, Any]]:
    """Who a document goes to: the chair (for the governing body) and the head; a notice's
    statutory copies; a statement of action's copies."""
    school = case.school
    people = [{"role": "chair", "name": context["addressee"]["name"], "email": school.chair.email if school.chair else None},
              {"role": "head", "name": context["head"]["name"], "email": school.head.email if school.head else None}]
    if "copies" in context and kind.startswith("warning_notice"):
        people = people[:1] + [{"role": c["role"], "name": c["name"], "email": c["email"]} for c in context["copies"]]
    if kind == "statement_of_action":
        people += context.get("statement_copies") or statement_copies(case, context["letter"]["date"])
    return people


def render(session: Session, case: Case, kind: str, today: date | None = None,
           action: Mapping[str, Any] | None = None, version: int = 1,
           language: Language | None = None) -> tuple[bytes, list[dict[str, Any]]]:
    """The document's bytes and its recipients (addressee first); ``action``: the fields of
    the action producing it (see ``case_context``); ``language``: English, Welsh or bilingual
    (Welsh first, then English, after a page break), by default the school's (``letter_language``)."""
    if kind in REPORTS:
        raise InvalidInput(N_("'%(kind)s' covers every case: make it as the termly report"), kind=kind)
    head = letterhead(case.school.authority.letterhead)
    word = _word_template(kind)
    language = Language.ENGLISH if word else (language or letter_language(case, kind))
    context = case_context(session, case, kind, head, today or date.today(), template_variables(kind), action, version)
    if kind.startswith("warning_notice") and "notice" in template_variables(kind) and "notice" not in context:
        raise NotFound(N_("case %(case)s has no warning notice"), case=case.id)
    if kind == "statement_of_action":
        _check_plan(context.get("priorities") or [])
    title = f"{kind.replace('_', ' ').capitalize()}: {case.school.name}"
    if word:
        return _render_word(word, context), _recipients(kind, context, case)
    bodies = [render_body(kind, context, part) if part == Language.ENGLISH
              else render_body(kind, case_context(session, case, kind, head.in_language(part), today or date.today(),
                                                  template_variables(kind, part), action, version, part), part)
              for part in language.parts]
    body = side_by_side(*bodies) if len(bodies) == 2 and head.bilingual_layout == "side_by_side" else PAGE_BREAK.join(bodies)
    return (package(body, head.in_language(language), context["letter"]["date"], title),
            _recipients(kind, context, case))


# Between the Welsh and the English of a bilingual document: the English starts on a new page.
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'

# Two columns across the A4 page's 160 mm between its margins (in twentieths of a point),
# without borders, a little space between them.
_COLUMN = 4535
_CELL = (f'<w:tc><w:tcPr><w:tcW w:w="{_COLUMN}" w:type="dxa"/></w:tcPr>{{}}<w:p/></w:tc>')  # a cell ends with a paragraph
_TABLE = ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
          '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="170" w:type="dxa"/></w:tblCellMar>'
          '<w:tblLook w:val="0000"/></w:tblPr>'
          f'<w:tblGrid><w:gridCol w:w="{_COLUMN}"/><w:gridCol w:w="{_COLUMN}"/></w:tblGrid><w:tr>{{}}</w:tr></w:tbl><w:p/>')


def side_by_side(welsh: str, english: str) -> str:
    """A bilingual letter's two texts in two columns, the Welsh on the left where it is read
    first (the Welsh Language Standards: the Welsh no less favourably treated)."""
    return _TABLE.format(_CELL.format(welsh) + _CELL.format(english))



def _check_plan(priorities: Sequence[Mapping[str, Any]]) -> None:
    """A statement of action names a lead, a target date and the resources of every priority:
    a blank cell in a statutory plan is refused, naming what is missing."""
    if not priorities:
        raise DocumentError(N_("the statement of action has no priorities: add them first"))
    for p in priorities:
        missing = [label for key, label in (("lead", N_("lead")), ("target_in_words", N_("target date")), ("resources", N_("resources")))
                   if not p.get(key)]
        if missing:
            raise DocumentError(N_("priority %(number)s (%(title)s) has no %(missing)s: record it before the statement of action is made"),
                                number=p["number"], title=p["title"], missing=Either(missing))


def _next_versions(session: Session, case_ids: Sequence[int | None], kind: str) -> dict[int | None, int]:
    query = select(Document.case_id, func.max(Document.version)).where(Document.kind == kind).group_by(Document.case_id)
    known = [c for c in case_ids if c is not None]
    query = query.where(Document.case_id.in_(known)) if len(known) == len(case_ids) else query
    found: dict[int | None, int] = {case_id: version for case_id, version in session.execute(query).all()}
    return {case_id: (found.get(case_id) or 0) + 1 for case_id in case_ids}


def _written(files: FileStore, case_id: int | None, kind: str, version: int, data: bytes, recipients: list[dict[str, Any]],
             output: Path | None) -> dict[str, Any]:
    """Keep the file of one version (or write it where the user asked); returns its document
    row, the file named by its key (or the absolute path a user chose)."""
    if output is not None:
        write_private(output, data)
        key = str(output.resolve())
    else:
        key = f"documents/{f'case-{case_id}' if case_id is not None else 'reports'}/{kind}-v{version}.docx"
        files.put(key, data)
    status = DocumentStatus.DRAFT if kind in LETTER_KINDS and case_id is not None else DocumentStatus.FINAL
    return {"case_id": case_id, "kind": kind, "version": version, "path": key,
            "sha256": hashlib.sha256(data).hexdigest(), "recipients": recipients, "generated_at": datetime.now(UTC),
            "status": status}


def _record(session: Session, rows: list[dict[str, Any]], actor: str) -> list[Document]:
    """Document rows and their audit events, each written in one statement."""
    table = table_of(Document)
    ids = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars().all()
    audit.record_many(session, [
        audit.Entry(actor, "document_generated", row["case_id"],
                    after={"kind": row["kind"], "version": row["version"], "sha256": row["sha256"], "path": row["path"],
                           "status": row["status"]})
        for row in rows])
    return [Document(id=document_id, **row) for document_id, row in zip(ids, rows, strict=True)]


def replace_file(session: Session, document: Document, data: bytes, suffix: str = "") -> None:
    """A draft's file made again (its free text edited) or replaced by the version edited in
    Word: a draft is the one document whose content may change, until it is issued."""
    files = file_store(session, writing=True)
    old = document.path
    digest = hashlib.sha256(data).hexdigest()
    key = str(Path(old).with_name(f"{document.kind}-v{document.version}{suffix}-{digest[:12]}.docx"))
    files.put(key, data)
    if key != old:  # the earlier file goes once the change is committed, so a failed change loses nothing
        event.listen(session, "after_commit", lambda _: files.delete(old), once=True)
    document.path = key
    document.sha256 = digest


def store(session: Session, case_id: int | None, kind: str, data: bytes, recipients: list[dict[str, Any]], actor: str,
          output: Path | None = None) -> Document:
    """Keep a generated document as the next version of its kind, and audit it."""
    version = _next_versions(session, [case_id], kind)[case_id]
    return _record(session, [_written(file_store(session, writing=True), case_id, kind, version, data, recipients, output)],
                   actor)[0]


def may_make(book: Playbook, kind: str, role: Role) -> None:
    """Refuse a document kind the playbook does not know, or one made by actions whose roles
    do not include ``role`` (an IP may not remake the warning notice a lead gives). A kind no
    action makes (an agenda) may be made by anyone who sees the case."""
    if kind not in DOCUMENT_KINDS:
        raise NotFound(N_("no document kind '%(kind)s'; available: %(kinds)s"), kind=kind, kinds=", ".join(DOCUMENT_KINDS))
    makers = [a for a in book.actions.values() if kind in a.documents]
    if makers and not any(role in a.roles for a in makers):
        raise NotPermitted(N_("%(who)s cannot make the %(letter)s: it is made by a %(roles)s"), who=a_role(role),
                           letter=Named(kind.replace("_", " ")), roles=roles_in_words({r for a in makers for r in a.roles}))


def generate(session: Session, case_id: int, kind: str, actor: str, output: Path | None = None,
             action: Mapping[str, Any] | None = None) -> Document:
    """Render, store as the next version, record it on the case and in the audit log."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(N_("no case %(case)s"), case=case_id)
    version = _next_versions(session, [case_id], kind)[case_id]
    data, recipients = render(session, case, kind, action=action, version=version)
    row = _written(file_store(session, writing=True), case_id, kind, version, data, recipients, output)
    meeting_kind = REPORTED_MEETING.get(kind)
    if meeting_kind is not None:  # the meeting the template reported on: the latest held of its kind
        meeting = session.execute(latest_held_meeting(case_id, meeting_kind)).scalar()
        row["meeting_id"] = meeting.id if meeting is not None else None
    return _record(session, [row], actor)[0]


def generate_many(session: Session, kind: str, stage: str, actor: str, visible: ColumnElement[bool]) -> list[Document]:
    """The document for every case ``visible`` selects at a stage (the person's), in one
    transaction: all of them or none."""
    if kind not in available_kinds():
        raise InvalidInput(N_("no template for document '%(kind)s': available: %(kinds)s"), kind=kind, kinds=", ".join(available_kinds()))
    cases = session.execute(
        select(Case).where(Case.stage == stage, visible).options(selectinload(Case.school)).order_by(Case.id)
    ).scalars().all()
    if not cases:
        stages = sorted(set(session.execute(select(Case.stage).where(visible)).scalars()))
        raise NotFound(N_("no case is at stage '%(stage)s': stages with cases: %(stages)s"), stage=stage,
                       stages=", ".join(stages) or Words(N_("none")))
    versions = _next_versions(session, [c.id for c in cases], kind)
    files = file_store(session, writing=True)
    rows = []
    for case in cases:
        data, recipients = render(session, case, kind, version=versions[case.id])
        rows.append(_written(files, case.id, kind, versions[case.id], data, recipients, None))
    return _record(session, rows, actor)


def produce_for_action(session: Session, case_id: int, kinds: Sequence[str], actor: str,
                       action: Mapping[str, Any]) -> tuple[list[Document], list[str]]:
    """The documents an action's playbook marks: generated where a template exists, from
    the action's own fields.

    Returns the documents made and the kinds that still have no template (listed to the
    user as due, so nothing is silently skipped).
    """
    known = set(available_kinds())
    made = [generate(session, case_id, kind, actor, action=action) for kind in kinds if kind in known]
    return made, [kind for kind in kinds if kind not in known]


# ------------------------------------------------------------------ checking an LA's templates

@dataclass(frozen=True)
class TemplateCheck:
    kind: str
    source: str
    variables: tuple[str, ...]
    unknown: tuple[str, ...]


def _uses(ast: nodes.Template) -> set[str]:
    """``name`` and ``name.attribute`` for every context name the template reads."""
    found: set[str] = set(meta.find_undeclared_variables(ast))
    for node in ast.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in found:
            found.add(f"{node.node.name}.{node.attr}")
    return found


def _unknown(uses: set[str], action_fields: frozenset[str]) -> list[str]:
    problems = []
    for use in sorted(uses):
        name, _, attribute = use.partition(".")
        if name not in CONTEXT:
            problems.append(use)
        elif attribute and name == "action":
            if attribute not in action_fields | {"on_in_words"}:
                problems.append(use)
        elif attribute and attribute not in CONTEXT[name]:
            problems.append(use)
    return problems


def check_templates(action_fields: frozenset[str]) -> list[TemplateCheck]:
    """Every template's variables (a kind's Welsh template too), and those the data model cannot supply."""
    environment = _environment(_override())
    checks = []
    kinds = [(kind, Language.ENGLISH) for kind in sorted(set(available_kinds()) | REPORTS)]
    for kind, language in kinds + [(kind, Language.WELSH) for kind, _ in kinds if has_welsh(kind)]:
        word = _word_template(kind) if language == Language.ENGLISH else None
        if word is not None:
            where, source = str(word), _word_source(word, word.stat().st_mtime_ns)
        else:
            template = _template(kind, language)
            assert template.filename is not None
            where = template.filename
            source = Path(where).read_text(encoding="utf-8")
        try:
            uses = _uses(environment.parse(source))
        except jinja2.TemplateSyntaxError as exc:
            raise DocumentError(f"template {where}:{exc.lineno}: {exc.message}") from None
        allowed = CONTEXT_REPORT if kind in REPORTS else None
        unknown = _unknown(uses, action_fields) if allowed is None else sorted(u for u in uses if u.split(".")[0] not in allowed)
        checks.append(TemplateCheck(kind, where, tuple(sorted(uses)), tuple(unknown)))
    return checks


@dataclass(frozen=True)
class StoredCheck:
    """The outcome of checking every stored document against the hash taken when it was made."""

    checked: int
    problems: tuple[str, ...]


def verify_stored(session: Session) -> StoredCheck:
    """Read every document file back and compare its sha256 with the stored one: a missing
    or altered letter is named with its case, kind and version, and a file in the documents
    folder that no record names (written by a command killed before it committed) is named too."""
    files = file_store(session)
    problems = []
    documents = session.execute(select(Document).order_by(Document.case_id, Document.kind, Document.version)).scalars().all()
    for document in documents:
        owner = f"case {document.case_id}" if document.case_id is not None else "reports"
        try:
            digest = hashlib.sha256(files.get(document.path)).hexdigest()
        except OSError as exc:
            problems.append(f"{owner} {document.kind} v{document.version}: {document.path} cannot be read "
                            f"({exc.strerror or 'not found'})")
            continue
        if digest != document.sha256:
            problems.append(f"{owner} {document.kind} v{document.version}: {document.path} was changed after it was made")
    recorded = {document.path for document in documents}
    problems += [f"{key} has no record: it was never issued (remove it, or make the letter again)"
                 for key in files.keys("documents/") if key.endswith(".docx") and key not in recorded]
    return StoredCheck(checked=len(documents), problems=tuple(problems))
