"""Reading a playbook file: every key checked, every name resolved, or one error with the line.

``parse_playbook`` is the only way a ``Playbook`` is made from text; ``models.settings.files``
caches the result per file version. A mistake in an LA's playbook is refused here, with the
file, the line and the reason, before any case can be opened or moved with it.

A local playbook states only what differs from the statute: ``extends = "england"`` takes
the England (or Wales) playbook and lays the local file over it (``extend``). The statute's
parts — the notice's copies, regimes, powers and their window, the statement of action — so
live once, and a correction to the law is made in one file. The resolved playbook is written
out as TOML (``Playbook.text``): that is what a case pins, so it never changes under a case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

import tomli_w

from models.errors import PlaybookError
from models.rules.fields import FieldSpec, FieldType
from models.rules.guards import GUARD_NEEDS, Guard
from models.rules.notice import CopyRule, CopyWhen, NoticeRegime, NoticeRules, NoticeSection
from models.rules.playbook import (
    CADENCE_DEADLINES,
    DOCUMENT_KINDS,
    RECORD_FIELDS,
    RECORD_OPTIONS,
    ActionSpec,
    Cadence,
    DeadlineSpec,
    EscalationRule,
    Playbook,
    RecordSpec,
    RecordType,
    SchoolScope,
    Trigger,
)
from models.rules.toml_text import line_of, parse_toml
from models.rules.words import words
from models.vocab import Basis, Jurisdiction, MeetingKind, Role, Scheme

# The languages a playbook's notice may be worded in beside English: ``[notice.cy]``.
NOTICE_LANGUAGES = ("cy",)

__all__ = ["extend", "extended_name", "parse_playbook"]

E = TypeVar("E", bound=StrEnum)

_TOP_KEYS = {
    "name", "version", "title", "jurisdiction", "initial_stage", "stages", "actions", "notice", "cadence", "escalations",
    "migrations", "extends", "omit", "glossary",
}
# What an extending playbook must state itself: which playbook it is.
_OWN_KEYS = ("name", "version", "title")
# Tables whose entries an extending playbook replaces, adds or (``[omit]``) drops one by one.
_OMITTABLE = {"stages", "actions", "escalations"}


def extended_name(text: str, source: str) -> str | None:
    """The playbook this one extends (``extends = "england"``), if any."""
    found = parse_toml(text, source, PlaybookError).get("extends")
    if found is not None and not isinstance(found, str):
        raise PlaybookError(source, line_of(text, "extends"), 'extends names one playbook, like extends = "england"')
    return found


def extend(base: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """The base playbook with the child laid over it, as TOML data.

    - Top-level values the child gives replace the base's (``migrations`` are never
      inherited: they belong to one file's versions).
    - ``[stages]``: each stage the child names replaces or adds that stage.
    - ``[actions.NAME]``: an action the base lacks is added; for one it has, each key the
      child gives (title, roles, fields, deadlines…) replaces that key, the others stay.
    - ``[notice]`` and ``[cadence]``: each key the child gives replaces the base's.
    - ``[[escalations]]``: an entry replaces the base's of the same name, or is added.
    - ``[omit]``: ``actions``, ``stages`` and ``escalations`` of the base to leave out.
    Order is the base's, the child's additions after it, so forms and lists read the same.
    """
    merged: dict[str, Any] = {k: v for k, v in base.items() if k not in ("migrations", "extends", "omit")}
    for key, value in child.items():
        if key in ("extends", "omit"):
            continue
        below = merged.get(key)
        if key == "actions" and isinstance(value, dict) and isinstance(below, dict):
            merged[key] = {**below, **{name: {**below[name], **spec} if isinstance(below.get(name), dict) and isinstance(spec, dict)
                                      else spec for name, spec in value.items()}}
        elif key in ("stages", "notice", "cadence") and isinstance(value, dict) and isinstance(below, dict):
            merged[key] = {**below, **value}
        elif key == "escalations" and isinstance(value, list) and isinstance(below, list):
            named = {e.get("name"): e for e in value if isinstance(e, dict)}
            merged[key] = [named.pop(e.get("name"), e) if isinstance(e, dict) else e for e in below] + list(named.values())
        else:
            merged[key] = value
    for table, names in child.get("omit", {}).items():
        if table == "escalations":
            merged[table] = [e for e in merged.get(table, []) if not (isinstance(e, dict) and e.get("name") in names)]
        else:
            merged[table] = {k: v for k, v in merged.get(table, {}).items() if k not in names}
    return merged
_ESCALATION_KEYS = {"name", "when", "to", "message", "deadline", "working_days", "terms", "stages"}
_ACTION_KEYS = {
    "title", "from", "except", "to", "roles", "schools", "fields", "guards", "deadlines",
    "completes", "cancels", "record", "documents", "refusal", "power", "watch_months", "ends_watch",
}
# The counts of a [cadence] a classification may change (``[cadence.by_classification]``).
_CADENCE_KEYS = {"tig_meetings_per_term", "reviews_per_half_term", "reviews_per_term", "visits_per_half_term", "visits_per_term"}
_FIELD_KEYS = {"type", "required", "options", "default", "help", "min", "label", "hint", "labels"}
_DEADLINE_KEYS = {"kind", "basis", "days", "days_from_field", "months", "after", "schools", "from_field", "only_when",
                  "in_force_from", "in_force_before"}


class _Loader:
    def __init__(self, text: str, source: str, bases: Sequence[tuple[str, str]] = ()) -> None:
        self.text, self.source, self.bases = text, source, tuple(bases)
        # Where a refusal's line is looked for: this file first, then each file it extends.
        self.layers = ((source, text), *((s, t) for t, s in self.bases))
        self.glossary: dict[str, str] = {}

    def fail(self, reason: str, *needles: str) -> PlaybookError:
        for source, text in self.layers:
            line = line_of(text, *needles)
            if line is not None:
                return PlaybookError(source, line, reason)
        return PlaybookError(self.source, None, reason)

    def _resolved(self) -> tuple[dict[str, Any], str]:
        """This file's data with what it extends laid under it, and the text a case pins."""
        data = parse_toml(self.text, self.source, PlaybookError)
        self._unknown(data, _TOP_KEYS, "playbook", "")
        base_name = data.get("extends")
        if base_name is None:
            if "omit" in data:
                raise self.fail("[omit] leaves out parts of an extended playbook: add extends = \"england\" (or \"wales\")", "[omit]")
            return data, self.text
        if not self.bases:
            raise self.fail(f"extends = \"{base_name}\" but no playbook of that name was found beside this one", "extends")
        base_text, base_source = self.bases[0]
        base, _ = _Loader(base_text, base_source, self.bases[1:])._resolved()
        if base.get("name") != base_name:
            raise self.fail(f"extends = \"{base_name}\" but {base_source} is the playbook '{base.get('name')}'", "extends")
        missing = [key for key in _OWN_KEYS if key not in data]
        if missing:
            raise self.fail(f"a playbook that extends another gives its own {', '.join(missing)}", "extends")
        omit = data.get("omit", {})
        if not isinstance(omit, dict):
            raise self.fail("omit must be a table like [omit] actions = [\"record_tig_meeting\"]", "omit")
        self._unknown(omit, _OMITTABLE, "[omit]", "")
        for table, names in omit.items():
            present = {e.get("name") for e in base.get(table, [])} if table == "escalations" else set(base.get(table, {}))
            absent = [n for n in names if n not in present]
            if absent:
                raise self.fail(f"[omit] {table}: {', '.join(absent)} is not in {base_name}", f"{table} =")
        merged = extend(base, data)
        return merged, tomli_w.dumps(merged)

    def load(self) -> Playbook:
        """The whole file, top-level keys first (long: one step per top-level table)."""
        data, text = self._resolved()
        for key in ("name", "version", "jurisdiction", "initial_stage", "stages", "actions"):
            if key not in data:
                raise PlaybookError(self.source, 1, f"missing '{key}' at the top of the playbook")
        try:
            jurisdiction = Jurisdiction(data["jurisdiction"])
        except ValueError:
            raise self.fail("jurisdiction must be 'england' or 'wales'", "jurisdiction") from None
        self.glossary = self._glossary(data.get("glossary", {}))
        stages: dict[str, str] = {}
        closed: set[str] = set()
        for name, spec in data["stages"].items():
            if not isinstance(spec, dict):
                raise self.fail(f"stage '{name}' must be a table like {{ title = \"...\" }}", f"{name} =", f"[stages.{name}]")
            stages[name] = str(spec.get("title", words(name, self.glossary)))
            if spec.get("closed"):
                closed.add(name)
        if data["initial_stage"] not in stages:
            raise self.fail(f"initial_stage '{data['initial_stage']}' is not a declared stage", "initial_stage")
        if not closed:
            raise self.fail("no stage is marked closed = true: a case could never end", "[stages")
        open_stages = frozenset(stages) - closed
        actions = {
            name: self._action(name, spec, stages, open_stages) for name, spec in data["actions"].items()
        }
        book = Playbook(
            name=str(data["name"]),
            version=str(data["version"]),
            title=str(data.get("title", data["name"])),
            jurisdiction=jurisdiction,
            initial_stage=data["initial_stage"],
            stages=stages,
            closed_stages=frozenset(closed),
            actions=actions,
            notice=self._notice(data["notice"]) if "notice" in data else None,
            cadence=self._cadence(data["cadence"], stages) if "cadence" in data else None,
            source=self.source,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            text=text,
            escalations=tuple(self._escalation(e, stages, actions) for e in data.get("escalations", [])),
            migrations=self._migrations(data.get("migrations", {}), stages, str(data["version"])),
            glossary=self.glossary,
        )
        self._check_powers(book)
        self._check_guards(book)
        return book

    def _glossary(self, raw: Any) -> dict[str, str]:
        """``[glossary] ip = "IP"``: how a word of an internal name is written for people."""
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            raise self.fail('glossary must be a table of words like [glossary] ip = "IP"', "[glossary]")
        return {str(k).lower(): v for k, v in raw.items()}

    def _check_guards(self, book: Playbook) -> None:
        """Each guard finds what it reads: the deadline some action sets, the fields of its action."""
        kinds = {d.kind for a in book.actions.values() for d in a.deadlines} | CADENCE_DEADLINES
        for action in book.actions.values():
            have = {f.name for f in action.fields}
            for guard in action.guards:
                needs = GUARD_NEEDS.get(guard)
                if needs is None:
                    continue
                if needs.deadline and needs.deadline not in kinds:
                    raise self.fail(f"action '{action.name}': guard {guard} reads the deadline {needs.deadline}, which no action sets",
                                    f'"{guard}"', f"[actions.{action.name}]")
                lacking = [f for f in needs.fields if f not in have]
                if lacking:
                    raise self.fail(f"action '{action.name}': guard {guard} reads the field(s) {', '.join(lacking)}, "
                                    "which the action does not have", f'"{guard}"', f"[actions.{action.name}]")

    def _migrations(self, raw: Any, stages: Mapping[str, str], version: str) -> dict[str, dict[str, str]]:
        """``[migrations."OLD"] stages = { old = "new" }``: where a case at a stage of an
        older version goes in this one (a stage of the same name needs no line)."""
        if not isinstance(raw, dict):
            raise self.fail('migrations must be tables like [migrations."2026.2"] with stages = { old = "new" }', "migrations")
        found: dict[str, dict[str, str]] = {}
        for old_version, table in raw.items():
            where = f'[migrations."{old_version}"]'
            if old_version == version:
                raise self.fail(f"{where}: a version does not migrate to itself", where)
            if not isinstance(table, dict) or not isinstance(table.get("stages", {}), dict):
                raise self.fail(f'{where} must hold stages = {{ old = "new" }}', where)
            self._unknown(table, {"stages"}, where, where)
            mapping = {str(old): str(new) for old, new in table.get("stages", {}).items()}
            wrong = sorted(new for new in mapping.values() if new not in stages)
            if wrong:
                raise self.fail(f"{where}: {', '.join(wrong)} is not a stage of this version", where)
            found[str(old_version)] = mapping
        return found

    def _check_powers(self, book: Playbook) -> None:
        """Each action's power is declared, and what it completes or cancels is a deadline some action sets."""
        declared = book.notice.powers if book.notice else {}
        kinds = {d.kind for a in book.actions.values() for d in a.deadlines} | CADENCE_DEADLINES
        for action in book.actions.values():
            unknown = [k for k in (*action.completes, *action.cancels) if k not in kinds]
            if unknown:
                raise self.fail(f"action '{action.name}': {', '.join(unknown)} is not a deadline any action sets",
                                f"[actions.{action.name}]")
            if action.power and action.power not in declared:
                raise self.fail(f"action '{action.name}': power '{action.power}' is not declared in [notice.powers]",
                                f"[actions.{action.name}]")

    def _unknown(self, table: Mapping[str, Any], allowed: set[str], where: str, header: str) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(
                    f"unknown key '{key}' in {where}; allowed: {', '.join(sorted(allowed))}",
                    f"{header}{key} =", f"{key} =", f"{key}",
                )

    def _stage_list(self, value: Any, stages: Mapping[str, str], open_stages: frozenset[str], where: str) -> frozenset[str]:
        if value == "open":
            return open_stages
        names = [value] if isinstance(value, str) else list(value)
        for name in names:
            if name not in stages:
                raise self.fail(f"{where}: stage '{name}' is not declared in [stages]", f'"{name}"')
        return frozenset(names)

    def _action(self, name: str, spec: Any, stages: Mapping[str, str], open_stages: frozenset[str]) -> ActionSpec:
        header = f"[actions.{name}"
        if not isinstance(spec, dict):
            raise self.fail(f"action '{name}' must be a table", header)
        self._unknown(spec, _ACTION_KEYS, f"action '{name}'", "")
        fields = tuple(self._field(name, fname, fspec) for fname, fspec in spec.get("fields", {}).items())
        deadlines: list[DeadlineSpec] = []
        for entry in spec.get("deadlines", []):
            deadlines.append(self._deadline(name, entry, fields, deadlines))
        records = self._records(name, spec.get("record", []), fields, header)
        if any(r.type is RecordType.WARNING_NOTICE for r in records):
            self._notice_contract(name, deadlines, header)
        return ActionSpec(
            name=name,
            title=str(spec.get("title", words(name, self.glossary))),
            from_stages=self._from_stages(name, spec, stages, open_stages, header),
            to_stage=self._to_stage(name, spec, stages, header),
            roles=self._roles(name, spec, header),
            schools=self._enum(SchoolScope, spec.get("schools", "any"), f"action '{name}': schools", header),
            fields=fields,
            guards=tuple(self._enum(Guard, g, f"action '{name}': guard", header) for g in spec.get("guards", [])),
            deadlines=tuple(deadlines),
            completes=tuple(spec.get("completes", [])),
            cancels=tuple(spec.get("cancels", [])),
            records=records,
            documents=self._documents(name, spec.get("documents", [])),
            refusal=str(spec.get("refusal", "")),
            power=spec.get("power"),
            watch_months=self._watch_months(name, spec, frozenset(stages) - open_stages),
            ends_watch=spec.get("ends_watch") is True,
        )

    def _watch_months(self, name: str, spec: Mapping[str, Any], closed: frozenset[str]) -> int | None:
        """``watch_months = 12``: closing the case watches the school for that long after exit."""
        months = spec.get("watch_months")
        if months is None:
            return None
        if isinstance(months, bool) or not isinstance(months, int) or months < 1:
            raise self.fail(f"action '{name}': watch_months must be a whole number of months, not {months!r}", "watch_months =")
        if spec.get("to") not in closed:
            raise self.fail(f"action '{name}': watch_months needs 'to' a closed stage: the watch begins when the case closes",
                            "watch_months =")
        return months

    def _from_stages(
        self, name: str, spec: Mapping[str, Any], stages: Mapping[str, str], open_stages: frozenset[str], header: str
    ) -> frozenset[str]:
        if "from" not in spec:
            raise self.fail(f"action '{name}' needs 'from' (a stage, a list of stages, or \"open\")", header)
        where = f"action '{name}'"
        return (self._stage_list(spec["from"], stages, open_stages, where)
                - self._stage_list(spec.get("except", []), stages, open_stages, where))

    def _to_stage(self, name: str, spec: Mapping[str, Any], stages: Mapping[str, str], header: str) -> str | None:
        to_stage = spec.get("to")
        if to_stage is not None and to_stage not in stages:
            raise self.fail(f"action '{name}': 'to' stage '{to_stage}' is not declared in [stages]", f'to = "{to_stage}"', header)
        return to_stage

    def _roles(self, name: str, spec: Mapping[str, Any], header: str) -> frozenset[Role]:
        return frozenset(self._enum(Role, r, f"action '{name}': role", header) for r in spec.get("roles", ["lead"]))

    def _enum(self, kind: type[E], value: Any, where: str, needle: str) -> E:
        """A closed-vocabulary value, or the error listing the values it may take."""
        try:
            return kind(value)
        except ValueError:
            raise self.fail(f"{where} '{value}' is unknown; it may be {', '.join(m.value for m in kind)}", needle) from None

    def _records(self, name: str, entries: Sequence[Any], fields: Sequence[FieldSpec], header: str) -> tuple[RecordSpec, ...]:
        """The records an action writes, each checked against what it needs from the action."""
        have = {f.name for f in fields}
        records = []
        for entry in entries:
            entry = {"type": entry} if isinstance(entry, str) else dict(entry)
            rtype = self._enum(RecordType, entry.pop("type", None), f"action '{name}': record type", header)
            options = {k: str(v) for k, v in entry.items()}
            lacking = [f for f in RECORD_FIELDS.get(rtype, ()) if f not in have]
            lacking += [f for k in RECORD_OPTIONS.get(rtype, ()) if k not in options for f in [f"option '{k}'"]]
            if rtype is RecordType.CLASSIFICATION and "value_field" not in options and "value" not in options:
                lacking.append("option 'value_field' or 'value'")
            if rtype is RecordType.MEETING and "kind" in options:
                self._enum(MeetingKind, options["kind"], f"action '{name}': meeting kind", header)
            if rtype is RecordType.CLASSIFICATION:
                lacking += [options[k] for k in ("value_field", "scheme_field") if k in options and options[k] not in have]
                schemes = [options["scheme"]] if "scheme" in options else [
                    o for f in fields if f.name == options.get("scheme_field") for o in f.options]
                for scheme in schemes:
                    self._enum(Scheme, scheme, f"action '{name}': classification scheme", header)
                if "scheme" not in options and "scheme_field" not in options:
                    lacking.append("option 'scheme' or 'scheme_field'")
            if lacking:
                raise self.fail(f"action '{name}' records a {rtype} but lacks {', '.join(lacking)}", header)
            records.append(RecordSpec(rtype, options))
        return tuple(records)

    def _documents(self, name: str, kinds: Sequence[str]) -> tuple[str, ...]:
        for kind in kinds:
            if kind not in DOCUMENT_KINDS:
                raise self.fail(f"action '{name}': unknown document '{kind}'; documents are {', '.join(DOCUMENT_KINDS)}", f'"{kind}"')
        return tuple(kinds)

    def _notice_contract(self, name: str, deadlines: Sequence[DeadlineSpec], header: str) -> None:
        """An action that records a warning notice counts its compliance period from the notice's field."""
        if not any(d.amount_field == "compliance_days" for d in deadlines):
            raise self.fail(
                f"action '{name}' records a warning notice but sets no deadline with days_from_field = \"compliance_days\"",
                header,
            )

    def _field(self, action: str, name: str, spec: Any) -> FieldSpec:
        where = f"action '{action}', field '{name}'"
        if not isinstance(spec, dict):
            raise self.fail(f"{where} must be a table like {{ type = \"text\" }}", f"{name} =")
        self._unknown(spec, _FIELD_KEYS, where, "")
        try:
            ftype = FieldType(spec.get("type", "text"))
        except ValueError:
            raise self.fail(f"{where}: type must be one of {', '.join(t.value for t in FieldType)}", f"{name} =") from None
        options = tuple(str(o) for o in spec.get("options", []))
        if ftype in (FieldType.CHOICE, FieldType.CHOICES) and not options:
            raise self.fail(f"{where}: a {ftype} field needs options = [...]", f"{name} =")
        default = spec.get("default")
        minimum = spec.get("min")
        if minimum is not None and (not isinstance(minimum, int) or isinstance(minimum, bool)):
            raise self.fail(f"{where}: min must be a whole number like min = 1, not {minimum!r}", f"{name} =")
        return FieldSpec(
            name=name,
            type=ftype,
            required=bool(spec.get("required", True)),
            options=options,
            default=None if default is None else str(default),
            help=str(spec.get("help", "")),
            minimum=spec.get("min"),
            label=str(spec.get("label") or words(name, self.glossary)),
            hint=str(spec.get("hint", spec.get("help", ""))),
            option_labels=self._option_labels(where, name, options, spec.get("labels", {})),
        )

    def _option_labels(self, where: str, name: str, options: Sequence[str], raw: Any) -> dict[str, str]:
        """What a page shows for each option: ``labels = { s63 = "..." }``, else the option in words."""
        if not isinstance(raw, dict):
            raise self.fail(f'{where}: labels must be a table like labels = {{ yes = "Yes" }}', f"{name} =")
        unknown = [k for k in raw if k not in options]
        if unknown:
            raise self.fail(f"{where}: labels names {', '.join(unknown)}, which is not one of its options", f"{name} =")
        return {o: str(raw.get(o) or words(o, self.glossary)) for o in options}

    def _deadline(self, action: str, entry: Any, fields: Sequence[FieldSpec], earlier: Sequence[DeadlineSpec]) -> DeadlineSpec:
        kind = entry.get("kind") if isinstance(entry, dict) else None
        where = f"action '{action}', deadline '{kind}'"
        needle = f'kind = "{kind}"'
        if not kind:
            raise self.fail(f"action '{action}': each deadline needs a kind", f"[[actions.{action}.deadlines]]")
        self._unknown(entry, _DEADLINE_KEYS, where, "")
        try:
            basis = Basis(entry.get("basis", "calendar"))
            schools = SchoolScope(entry.get("schools", "any"))
        except ValueError as exc:
            raise self.fail(f"{where}: {exc}; bases are {', '.join(b.value for b in Basis)}", needle) from None
        counts = [k for k in ("days", "days_from_field", "months") if k in entry]
        if len(counts) != 1:
            raise self.fail(f"{where}: give exactly one of days, days_from_field or months", needle)
        amount_field = entry.get("days_from_field")
        if amount_field and not any(f.name == amount_field and f.type is FieldType.INT for f in fields):
            raise self.fail(f"{where}: days_from_field '{amount_field}' is not an int field of the action", needle)
        after = entry.get("after")
        if after and not any(d.kind == after for d in earlier):
            raise self.fail(f"{where}: 'after' must name a deadline set earlier by the same action", needle)
        from_field = entry.get("from_field")
        if from_field and not any(f.name == from_field and f.type is FieldType.DATE for f in fields):
            raise self.fail(f"{where}: from_field '{from_field}' is not a date field of the action", needle)
        only_when = entry.get("only_when", {})
        for name, values in only_when.items():
            field_spec = next((f for f in fields if f.name == name), None)
            if field_spec is None or not isinstance(values, list) or set(map(str, values)) - set(field_spec.options):
                raise self.fail(f"{where}: only_when must map a choice field of the action to some of its options", needle)
        in_force = {k: entry.get(k) for k in ("in_force_from", "in_force_before")}
        if any(v is not None and (not isinstance(v, date) or isinstance(v, datetime)) for v in in_force.values()):
            raise self.fail(f"{where}: in_force_from and in_force_before are dates, e.g. 2014-09-01", needle)
        if "months" in entry and basis is not Basis.CALENDAR:
            raise self.fail(f"{where}: months are calendar months; drop basis or set basis = \"calendar\"", needle)
        return DeadlineSpec(
            kind=str(kind),
            basis=basis,
            amount=entry.get("days"),
            amount_field=amount_field,
            months=entry.get("months"),
            after=after,
            schools=schools,
            from_field=from_field,
            only_when={str(k): tuple(map(str, v)) for k, v in only_when.items()},
            in_force_from=in_force["in_force_from"],
            in_force_before=in_force["in_force_before"],
        )

    def _notice(self, spec: Mapping[str, Any]) -> NoticeRules:
        try:
            grounds = {str(k): str(v) for k, v in spec["grounds"].items()}
            powers = {str(k): str(v) for k, v in spec.get("powers", {}).items()}
            sections = {name: self._section(name, s, grounds, powers) for name, s in spec["sections"].items()}
            return NoticeRules(
                act=str(spec["act"]),
                sections=sections,
                grounds=grounds,
                powers=powers,
                copies=tuple(
                    CopyRule(str(c["role"]), self._enum(CopyWhen, c.get("when", "always"), "[[notice.copies]] when", "[[notice.copies]]"),
                             c.get("from"), c.get("until"))
                    for c in spec["copies"]
                ),
                regimes=tuple(
                    NoticeRegime(r["from"], str(r["label"]), r.get("fixed_compliance_days"), str(r.get("paragraph", "")),
                                 tuple(map(str, r.get("sections", ()))))
                    for r in sorted(spec["regimes"], key=lambda r: r["from"])
                ),
                **{key: str(spec[key]) for key in ("after_failure", "after_intention", "by_category") if key in spec},
                translations={language: self._notice_words(language, words, grounds, powers, sections)
                              for language, words in spec.items() if language in NOTICE_LANGUAGES},
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise self.fail(f"[notice] needs act, sections, grounds, copies and regimes (missing {exc})", "[notice]") from None

    def _notice_words(self, language: str, words: Any, grounds: Mapping[str, str], powers: Mapping[str, str],
                      sections: Mapping[str, NoticeSection]) -> Mapping[str, object]:
        """``[notice.cy]``: the notice's wording in another language, for the keys it translates;
        a ground, power or section the notice does not declare is refused with its table."""
        where = f"[notice.{language}]"
        if not isinstance(words, Mapping):
            raise self.fail(f"{where} must be a table of the notice's wording in that language", where)
        self._unknown(words, {"act", "after_failure", "after_intention", "by_category", "grounds", "powers", "sections"}, where, "")
        for table, declared in (("grounds", grounds), ("powers", powers), ("sections", sections)):
            unknown = sorted(set(words.get(table) or {}) - set(declared))
            if unknown:
                raise self.fail(f"{where}.{table}: {', '.join(unknown)} not declared in [notice.{table}]", f"{where}")
        for name, section in (words.get("sections") or {}).items():
            extra = sorted(set(section) - {"title", "powers_text"})
            if extra:
                raise self.fail(f"[notice.{language}.sections.{name}]: {', '.join(extra)}: only title and powers_text are worded",
                                f"[notice.{language}.sections.{name}]")
        return {key: ({k: (dict(v) if isinstance(v, Mapping) else str(v)) for k, v in value.items()} if isinstance(value, Mapping)
                      else str(value)) for key, value in words.items()}

    def _section(self, name: str, spec: Mapping[str, Any], grounds: Mapping[str, str], powers: Mapping[str, str]) -> NoticeSection:
        where = f"[notice.sections.{name}]"
        unknown = [g for g in spec["grounds"] if g not in grounds] + [p for p in spec.get("powers", []) if p not in powers]
        if unknown:
            raise self.fail(f"{where}: {', '.join(unknown)} not declared in [notice.grounds] or [notice.powers]", where)
        return NoticeSection(name=name, title=str(spec["title"]), in_force=spec["in_force"], grounds=tuple(spec["grounds"]),
                             powers=tuple(spec.get("powers", [])), powers_text=str(spec["powers_text"]))

    def _cadence(self, spec: Mapping[str, Any], stages: Mapping[str, str]) -> Cadence:
        self._unknown(spec, _CADENCE_KEYS | {"stages", "ip_report_days_before_review", "by_classification", "meetings",
                                             "plan_on_entry"}, "[cadence]", "")
        try:
            active = frozenset(spec["stages"])
            unknown = active - set(stages)
            if unknown:
                raise self.fail(f"[cadence] stages {', '.join(sorted(unknown))} are not declared", "[cadence]")
            on_entry = frozenset(spec.get("plan_on_entry", ()))
            if not on_entry <= active:
                raise self.fail(f"[cadence] plan_on_entry: {', '.join(sorted(on_entry - active))} is not one of its stages",
                                "plan_on_entry")
            base = Cadence(
                stages=active,
                tig_meetings_per_term=self._count(spec["tig_meetings_per_term"], "tig_meetings_per_term"),
                reviews_per_half_term=self._count(spec["reviews_per_half_term"], "reviews_per_half_term"),
                visits_per_half_term=self._count(spec["visits_per_half_term"], "visits_per_half_term"),
                ip_report_days_before_review=self._count(spec["ip_report_days_before_review"], "ip_report_days_before_review"),
                reviews_per_term=self._count(spec.get("reviews_per_term", 0), "reviews_per_term"),
                visits_per_term=self._count(spec.get("visits_per_term", 0), "visits_per_term"),
                meetings=str(spec.get("meetings", Cadence.meetings)),
                plan_on_entry=on_entry,
            )
        except KeyError as exc:
            raise self.fail(f"[cadence] is missing {exc}", "[cadence]") from None
        return self._cadence_variants(base, spec.get("by_classification"))

    def _cadence_variants(self, base: Cadence, spec: Any) -> Cadence:
        """``[cadence.by_classification]``: ``scheme = "support_category"`` and, per value of
        it, the counts that differ, e.g. ``amber = { reviews_per_half_term = 0, reviews_per_term = 1 }``."""
        if spec is None:
            return base
        where = "[cadence.by_classification]"
        if not isinstance(spec, dict) or not isinstance(spec.get("scheme"), str):
            raise self.fail(f'{where} needs scheme = "NAME" (a classification scheme such as support_level) '
                            "and a table of counts per value", where)
        variants = []
        for value, counts in spec.items():
            if value == "scheme":
                continue
            if not isinstance(counts, dict):
                raise self.fail(f"{where}: {value} must be a table like {{ reviews_per_term = 1 }}", f"{value} =")
            self._unknown(counts, _CADENCE_KEYS, f"{where} {value}", f"{value} =")
            changed: dict[str, Any] = {key: self._count(n, key) for key, n in counts.items()}
            variants.append((str(value), replace(base, **changed)))
        scheme = self._enum(Scheme, spec["scheme"], f"{where} scheme", "scheme =")
        return replace(base, scheme=scheme.value, variants=tuple(variants))

    def _count(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"[cadence] {key} must be a whole number of 0 or more, not {value!r}", f"{key} =")
        return value


    def _escalation(self, spec: Any, stages: Mapping[str, str], actions: Mapping[str, ActionSpec]) -> EscalationRule:
        name = spec.get("name", "?") if isinstance(spec, dict) else "?"
        where = f'name = "{name}"'
        if not isinstance(spec, dict):
            raise self.fail("each [[escalations]] entry must be a table", "[[escalations]]")
        unknown = set(spec) - _ESCALATION_KEYS
        if unknown:
            raise self.fail(f"escalation '{name}': unknown key(s) {', '.join(sorted(unknown))}", where, "[[escalations]]")
        for key in ("name", "when", "to", "message"):
            if key not in spec:
                raise self.fail(f"escalation '{name}' needs '{key}'", where, "[[escalations]]")
        try:
            when = Trigger(spec["when"])
        except ValueError:
            raise self.fail(f"escalation '{name}': when must be one of {', '.join(t.value for t in Trigger)}", where) from None
        try:
            to = tuple(Role(r) for r in spec["to"])
        except ValueError as exc:
            raise self.fail(f"escalation '{name}': {exc}; roles are {', '.join(r.value for r in Role)}", where) from None
        deadline = spec.get("deadline")
        if when in (Trigger.DEADLINE_OVERDUE, Trigger.DEADLINE_WITHIN):
            known = {d.kind for a in actions.values() for d in a.deadlines} | CADENCE_DEADLINES
            if deadline not in known:
                raise self.fail(f"escalation '{name}': deadline '{deadline}' is not set by any action", where)
        if when is Trigger.TERMS_WITHOUT_IMPROVEMENT and int(spec.get("terms", 0)) < 1:
            raise self.fail(f"escalation '{name}': give terms = N (1 or more)", where)
        unknown_stages = set(spec.get("stages", [])) - set(stages)
        if unknown_stages:
            raise self.fail(f"escalation '{name}': stages {', '.join(sorted(unknown_stages))} are not declared", where)
        return EscalationRule(
            name=str(spec["name"]), when=when, to=to, message=str(spec["message"]), deadline=deadline,
            working_days=int(spec.get("working_days", 0)), terms=int(spec.get("terms", 0)),
            stages=frozenset(spec.get("stages", [])),
        )


def parse_playbook(text: str, source: str, bases: Sequence[tuple[str, str]] = ()) -> Playbook:
    """Validate and freeze a playbook; raises PlaybookError with file, line and reason.

    ``bases`` are the (text, source) of the playbook it extends, then of the one that
    extends, and so on (``models.settings.files`` finds them by name)."""
    return _Loader(text, source, bases).load()

