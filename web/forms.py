"""An action's form, built from its playbook fields: a new action in an LA's own playbook
gets its form with no code.

Each field type has one way in (``FieldType``): text (a text area for long text), a whole
number, a date, one choice (radios), several choices (checkboxes), a RAG judgement per
priority (radios per priority) and text per priority. What the browser sends is turned back
into the ``NAME=VALUE`` strings the use case takes, so the web page, the API and
``--set`` are checked by the same rules; a refusal naming a field is shown at that field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from models.errors import CaseworkError, FieldError, GuardFailed, MissingField
from models.schemas import ActionChoice, FieldChoice, PriorityView
from web.language import N_, Said, gettext, refusal

__all__ = ["FormField", "ON_FIELD", "errors_by_field", "form_fields", "sentence", "submitted"]

ON_FIELD = "effective_on"  # the date the action took effect; not a playbook field name
LONG_TEXT_FIELDS = frozenset({"reasons", "required_action", "evidence", "notes", "findings", "discussion", "decisions",
                              "parents_arrangements", "summary", "exit_conditions_met"})


@dataclass(frozen=True)
class FormField:
    """One question of the form, ready for its template macro."""

    name: str
    label: str
    type: str
    required: bool
    hint: str | None
    options: tuple[tuple[str, str], ...] = ()  # (value, what the page shows)
    value: str = ""
    values: tuple[str, ...] = ()  # chosen options of a several-choices field
    per_priority: tuple[tuple[PriorityView, str], ...] = ()  # (priority, value) for rag and per_priority
    long: bool = False
    error: str | Said | None = None
    extra: dict[str, str] = field(default_factory=dict)


def sentence(text: str) -> str:
    """A label or hint as a form shows it: its first letter a capital."""
    return text[:1].upper() + text[1:] if text else text


def form_fields(choice: ActionChoice, priorities: Sequence[PriorityView], entered: Mapping[str, list[str]],
                errors: Mapping[str, str | Said]) -> list[FormField]:
    """The form's fields, with what was entered and each field's error."""
    built = []
    for spec in choice.fields:
        first = (entered.get(spec.name) or [spec.default or ""])[0]
        per = tuple((p, (entered.get(f"{spec.name}.{p.number}") or [""])[0]) for p in priorities) \
            if spec.type in ("rag", "per_priority") else ()
        built.append(FormField(
            name=spec.name, label=sentence(spec.label or spec.name), type=spec.type, required=spec.required,
            hint=sentence(spec.hint) or None, options=tuple((o, spec.option_labels.get(o, o)) for o in spec.options),
            value=first, values=tuple(entered.get(spec.name, [])), per_priority=per,
            long=spec.type == "per_priority" or spec.name in LONG_TEXT_FIELDS, error=errors.get(spec.name),
        ))
    return built


def submitted(choice: ActionChoice, form: Mapping[str, list[str]]) -> dict[str, str]:
    """The ``NAME=VALUE`` strings of a submitted form: blanks left out (so a missing
    required field is named as missing), several choices joined by commas."""
    values: dict[str, str] = {}
    by_name: dict[str, FieldChoice] = {f.name: f for f in choice.fields}
    for key, entries in form.items():
        name = key.split(".", 1)[0]
        spec = by_name.get(name)
        if spec is None:
            continue
        if spec.type == "choices":
            chosen = [e for e in entries if e.strip()]
            if chosen:
                values[key] = ",".join(chosen)
        elif entries and entries[0].strip():
            values[key] = entries[0]
    return values


def errors_by_field(error: CaseworkError, choice: ActionChoice) -> dict[str, str | Said]:
    """Messages to show at each field the refusal names; empty when it names none (a guard,
    a role), which the page shows in its summary only. A missing answer is asked for in the
    page's language."""
    labels = {f.name: f.label or f.name for f in choice.fields}
    if isinstance(error, MissingField):
        chosen = {f.name for f in choice.fields if f.type in ("choice", "choices", "rag")}
        return {name: Said(N_("Select %(field)s") if name in chosen else N_("Enter %(field)s"), field=_Named(labels.get(name, name)))
                for name in error.missing}
    if isinstance(error, FieldError) and error.field in labels:
        if "what" in error.parameters:  # said with the field's label in place of the command line's name
            return {error.field: Said(error.message, **{**error.parameters, "what": _Named(labels[error.field], first=True)})}
        return {error.field: f"{sentence(labels[error.field])} {error.detail}"}
    if isinstance(error, GuardFailed) and error.field in labels:
        return {error.field: Said(error.words, **error.parameters) if error.words else refusal(error)}
    return {}


class _Named:
    """A field's label as a refusal names it: inside the English sentence ("Enter the RAG
    judgement"), or ``first`` in it ("Compliance days must be..."); the catalog's own words
    (a capital first) in another language."""

    def __init__(self, label: str, first: bool = False) -> None:
        self.label, self.first = label, first

    def __str__(self) -> str:
        said = gettext(sentence(self.label))
        if said != sentence(self.label) or self.first:
            return said
        return _lowered(self.label)


def _lowered(label: str) -> str:
    """A label inside a sentence: "Enter the RAG judgement", not "Enter rAG judgement"."""
    first = label.split(" ", 1)[0]
    acronym = len(first) > 1 and (first.isupper() or first[1:] != first[1:].lower())
    return label if acronym else label[:1].lower() + label[1:]
