"""The Welsh catalog of the pages is complete: every message the pages can show has its Welsh,
with the same placeholders, so no English is left on a Welsh page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from models.errors import FieldError, GuardFailed, MissingField, NotFound
from models.rules.fields import parse_fields
from models.rules.guards import GUARDS, CaseFacts, Guard
from models.services.views import _choice  # the one way an action's form is described
from models.settings.catalog import CATALOGS, catalog
from models.settings.files import playbook_named
from web import forms
from web.language import N_, Said, chosen, refusal, say_date, speaking
from web.pages import MEETING_WORDS

ROOT = Path(__file__).resolve().parents[2]
PO = CATALOGS / "cy" / "LC_MESSAGES" / "messages.po"


def _welsh() -> dict[object, object]:
    with PO.open("rb") as text:
        read = read_po(text, locale="cy")
    return {m.id: (m.string, m.fuzzy) for m in read if m.id}


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def test_every_message_of_the_pages_and_their_code_is_in_the_welsh_catalog() -> None:
    with (CATALOGS / "babel.cfg").open() as config:
        methods, options = parse_mapping_cfg(config)
    extracted = {message for _, _, message, _, _ in extract_from_dir(str(ROOT), methods, options)}
    assert len(extracted) > 400  # the pages' text, not an empty extraction
    missing = sorted(str(m) for m in extracted - set(_welsh()))
    assert not missing, f"not in messages.po (run pybabel update, then translate): {missing[:10]}"


def test_every_message_has_its_welsh_with_the_same_placeholders() -> None:
    for message, (string, fuzzy) in _welsh().items():
        forms = message if isinstance(message, tuple) else (message,)
        english = " / ".join(str(f) for f in forms)
        wanted = set().union(*(_placeholders(str(f)) for f in forms))
        assert not fuzzy, f"{english!r} is marked fuzzy: check its Welsh"
        for welsh in string if isinstance(string, tuple) else (string,):
            assert welsh.strip(), f"{english!r} has no Welsh"
            # the count may be left out of a form ("Open this case"), nothing else
            assert wanted - {"num"} <= _placeholders(welsh) <= wanted, f"{english!r}: its Welsh {welsh!r} has other placeholders"


def test_a_page_is_in_the_language_just_chosen_else_the_browser_s_else_the_reader_s() -> None:
    assert chosen("cy", "en", "en") == "cy"
    assert chosen(None, "cy", "en") == "cy"
    assert chosen(None, None, "cy") == "cy"
    assert chosen("fr", None, None) == "en"  # an unknown language is English
    assert catalog("cy").gettext("My work") == "Fy ngwaith"
    with speaking("cy"):
        assert say_date(date(2026, 10, 5)) == "5 Hydref 2026"
    assert say_date(date(2026, 10, 5)) == "5 October 2026"


def test_a_missing_answer_is_asked_for_in_the_language_of_the_page_it_is_shown_on() -> None:
    spec = playbook_named("wales").actions["issue_warning_notice"]
    with pytest.raises(MissingField) as missing:
        parse_fields("issue_warning_notice", spec.fields, {})
    errors = forms.errors_by_field(missing.value, _choice(spec, None))  # made before the page's language is known
    assert {name: str(said) for name, said in errors.items()} == {
        "grounds": "Select grounds", "reasons": "Enter reasons", "required_action": "Enter required action",
        "compliance_days": "Enter compliance days", "minded_to": "Enter minded to"}
    with speaking("cy"):
        welsh = {name: str(said) for name, said in errors.items()}
    assert welsh["grounds"] == "Seiliau: gwnewch ddewis" and welsh["reasons"] == "Rhesymau: rhowch eich ateb"
    assert welsh["compliance_days"] == "Dyddiau cydymffurfio: rhowch eich ateb"


def test_what_a_withdrawal_page_names_is_said_in_the_page_s_language_dates_included() -> None:
    meeting = Said(N_("the %(kind)s of %(day)s"), kind=Said(MEETING_WORDS["progress_review"]), day=date(2026, 10, 20))
    assert str(meeting) == "the progress review of 20 October 2026"
    with speaking("cy"):
        assert str(meeting) == "adolygiad cynnydd 20 Hydref 2026"
        assert str(Said(N_("Withdraw %(what)s"), what=meeting)) == "Tynnu adolygiad cynnydd 20 Hydref 2026 yn ôl"


def test_a_refusal_made_below_the_pages_is_said_in_the_page_s_language_and_in_english_elsewhere() -> None:
    spec = playbook_named("wales").actions["issue_warning_notice"]
    with pytest.raises(FieldError) as wrong:
        parse_fields("issue_warning_notice", spec.fields, {"compliance_days": "deg"})
    # the command line and the API: the English, naming the field as the command line does
    assert str(wrong.value) == "'issue_warning_notice': field compliance_days must be a whole number, not 'deg'"
    beside = forms.errors_by_field(wrong.value, _choice(spec, None))["compliance_days"]
    assert str(beside) == "Compliance days must be a whole number, not 'deg'"  # the form's label in its place
    with speaking("cy"):
        assert str(beside) == "Dyddiau cydymffurfio: rhowch rif cyfan, nid 'deg'"

    with pytest.raises(NotFound) as missing:
        from models.services.cases import get_case

        get_case(None, 0)  # type: ignore[arg-type]  # refused before the database is asked
    with speaking("cy"):
        assert str(refusal(missing.value)) == "dim achos 0"


def test_a_guard_s_words_for_the_form_list_the_priorities_in_the_page_s_language() -> None:
    review = playbook_named("wales").actions["record_progress_review"]
    facts = CaseFacts(case_id=7, school_type="community", on=date(2026, 11, 2), priority_numbers=frozenset({1, 2, 3}))  # type: ignore[arg-type]
    with pytest.raises(GuardFailed) as unjudged:
        GUARDS[Guard.RAG_COVERS_PRIORITIES](facts, {"rag": {2: "green"}})
    assert str(unjudged.value) == "case 7: every priority needs a RAG judgement; give rag.1, rag.3"
    beside = forms.errors_by_field(unjudged.value, _choice(review, None))["rag"]
    assert str(beside) == "Give a RAG judgement for priorities 1 and 3"
    with speaking("cy"):
        assert str(beside) == "Rhowch farn RAG ar gyfer blaenoriaethau 1 a 3"
        assert str(refusal(unjudged.value)) == "achos 7: mae angen barn RAG ar bob blaenoriaeth; rhowch rag.1, rag.3"
