"""The words a playbook puts on the pages — its stages, actions, deadlines, documents, the
labels of its forms — and the case history's events, for the pages' catalog.

They are not in the templates, so ``pybabel extract`` reads them through ``extract_playbook``
(named in ``translations/babel.cfg``), and a test holds the Welsh catalog complete for the
Wales playbook. An authority's own playbook adds its words to the catalog the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from models.rules.playbook import Playbook
from models.rules.words import words
from models.settings.files import glossary, playbook_named
from models.vocab import Role, SchoolType
from web.forms import sentence

__all__ = ["CASE_EVENTS", "extract_playbook", "playbook_terms"]

# What the case history records beside the playbook's own actions (the audit log's case events).
CASE_EVENTS = ("case_opened", "case_imported", "action_undone", "action_amended", "alert_raised", "classification_withdrawn",
               "deadline_recounted", "document_altered", "document_generated", "evidence_added", "evidence_altered",
               "exit_watch_ended", "half_term_planned", "letter_edited", "letter_issued", "letter_uploaded",
               "meeting_withdrawn", "note_added", "playbook_migrated", "priority_amended", "priority_withdrawn")


def playbook_terms(book: Playbook) -> list[str]:
    """Every text of ``book`` the pages show, as they show it, once each and in order."""
    said = glossary()
    terms = [book.jurisdiction, *book.stages.values()]
    for action in book.actions.values():
        terms += [action.title, words(action.name, said), *(words(d, said) for d in action.documents)]
        terms += [words(d.kind, said) for d in action.deadlines]
        terms += [words(kind, said) for kind in (*action.completes, *action.cancels)]  # the planned duties too
        for field in action.fields:
            terms += [sentence(field.label or field.name), sentence(field.hint)]  # as web.forms shows them
            terms += [field.option_labels.get(option, option) for option in field.options]
    terms += [words(event, said) for event in CASE_EVENTS]
    terms += [rule.message for rule in book.escalations]  # an alert's email says why
    # inside a sentence: a person's role, a school's type, a stage on the timeline
    terms += [words(code, said, False) for code in (*Role, *SchoolType, *book.stages)]
    return list(dict.fromkeys(t for t in terms if t))


def extract_playbook(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel's extraction method for a playbook file: its terms, as messages of the catalog."""
    for term in playbook_terms(playbook_named(Path(str(fileobj.name)).stem)):
        yield 1, None, term, []
