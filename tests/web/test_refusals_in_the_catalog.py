"""Every refusal a page can show is a message of the catalog: made with ``N_("...")`` and its
parameters, never an f-string, so a Welsh page says it in Welsh (``web.language.refusal``)
and the catalog completeness test holds its Welsh."""

from __future__ import annotations

import ast
from pathlib import Path

import models.errors as errors
from models.services.accounts import SignInRefused

ROOT = Path(__file__).resolve().parents[2]

# What is said elsewhere than on a page, in English, and why.
SAID_ELSEWHERE = {
    "api": "the API answers in English, for programs",
    "models/db/session.py": "the database is not ready: said when the command line or the server starts, before any page",
    "models/services/outbox.py": "the mail server's settings, said when the sender starts",
    "models/adapters/mail/templates.py": "an email template an administrator edits is broken: said to them, in the template's terms",
    "models/adapters/docx/pdf.py": "LibreOffice is missing or failed: said to the administrator who installs it",
    "models/services/tracker.py": "the tracker moved in once from a spreadsheet whose columns are named in English; its refusals name them",
}
# Errors that name a file and its line for the person editing it (a playbook, a calendar, a
# template): said in the file's own terms.
ABOUT_A_FILE = {"ConfigError", "PlaybookError", "CalendarError"}
REFUSALS = {name for name in dir(errors) if isinstance(getattr(errors, name), type)
            and issubclass(getattr(errors, name), errors.CaseworkError)} | {SignInRefused.__name__}


def _message(call: ast.Call) -> ast.expr | None:
    """The message argument of a refusal being made (a FieldError's second)."""
    name = call.func.id if isinstance(call.func, ast.Name) else ""
    position = 1 if name == "FieldError" else 0
    return call.args[position] if len(call.args) > position else None


def _about_a_template(message: ast.expr) -> bool:
    """A template an authority edits failed: said in the template's terms to whoever edits it."""
    first = message.values[0] if isinstance(message, ast.JoinedStr) and message.values else message
    return isinstance(first, ast.Constant) and str(first.value).startswith(("template ", "email template "))


def _written_in_place(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REFUSALS - ABOUT_A_FILE):
            continue
        message = _message(node)
        if message is None or _about_a_template(message):
            continue
        if isinstance(message, ast.JoinedStr | ast.Constant | ast.BinOp):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_every_refusal_a_page_can_show_is_a_message_of_the_catalog() -> None:
    checked, written_in_place = 0, []
    for folder in ("models", "web", "server", "api"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            if any(where == kept or where.startswith(kept + "/") for kept in SAID_ELSEWHERE):
                continue
            checked += 1
            written_in_place += _written_in_place(path)
    assert checked > 60  # the models and the pages, not an empty walk
    assert written_in_place == [], f"made with English text, not N_(...) and parameters: {written_in_place[:10]}"


def test_the_check_finds_a_refusal_written_in_place(tmp_path: Path) -> None:
    made = tmp_path / "example.py"
    made.write_text('from models.errors import NotFound\n\n\ndef f(n):\n    raise NotFound(f"no case {n}")\n')
    assert _written_in_place(made, tmp_path) == ["example.py:5"]
    made.write_text('from models.errors import NotFound\nfrom models.messages import N_\n\n\n'
                    'def f(n):\n    raise NotFound(N_("no case %(case)s"), case=n)\n')
    assert _written_in_place(made, tmp_path) == []
