"""Corrections: edits a person makes to what the extraction got wrong, replayed on every run.

The log (`edits.jsonl` in the store folder, written by the store module) holds one JSON object
a line. Entity edits name their targets as a reader would (a name, an alias or an id) and are
resolved when they are applied, so an edit made today also applies to articles added later.
Edits are replayed in log order over the entities as linked across the corpus; an edit whose
target is gone is reported, not fatal. An undo is a later line, never a deletion.
"""

from __future__ import annotations

import difflib
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.extract.linking import CorpusEntity, DocEntity, entity_id, name_norm
from analysis.extract.namespans import LABELS

Key = tuple[str, str]  # (doc_id, ref): one article's entity
ENTITY_KINDS = ("merge", "split", "rename", "retype", "hide")
ROW_KINDS = ("speaker", "reject")
KINDS = (*ENTITY_KINDS, *ROW_KINDS, "undo")
TYPES = tuple(sorted(LABELS))
# What `reject` can mark as wrong, and the table (and id column) each lives in.
REJECTABLE = {"figure": ("figures", "figure_id"), "event": ("events", "event_id")}


class EditError(ValueError):
    """An edit that cannot be applied or a log line that cannot be read."""

    def __init__(self, message: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


@dataclass(frozen=True, slots=True)
class Edit:
    """One line of the log.

    `targets` are entity names, aliases or ids (merge, split, rename, retype, hide), a
    quote id (speaker) or a figure or event id (reject); `value` is the new value: the name
    merged into, the alias split off, the new name or type, the speaker (None: no speaker),
    or what is rejected ("figure" or "event"). An undo names the edit it cancels in `undone`.
    """

    edit_id: str
    kind: str
    targets: tuple[str, ...] = ()
    value: str | None = None
    when: str = ""
    note: str = ""
    undone: str = ""
    line: int = 0  # where it is in the log; 0 before it is written

    def to_json(self) -> str:
        """The log line (without its newline)."""
        data: dict[str, Any] = {"edit_id": self.edit_id, "kind": self.kind}
        if self.kind == "undo":
            data["edit"] = self.undone
        else:
            data["targets"] = list(self.targets)
            data["value"] = self.value
        data["when"] = self.when
        if self.note:
            data["note"] = self.note
        return json.dumps(data, ensure_ascii=False)

    def describe(self) -> str:
        """The edit in words, as `newslens edit --list` shows it."""
        names = ", ".join(repr(t) for t in self.targets)
        if self.kind == "merge":
            return f"merge {names} into {self.value!r}"
        if self.kind == "split":
            return f"split {self.value!r} off {names}"
        if self.kind == "rename":
            return f"rename {names} to {self.value!r}"
        if self.kind == "retype":
            return f"retype {names} as {self.value}"
        if self.kind == "hide":
            return f"hide {names}"
        if self.kind == "speaker":
            who = "no speaker" if self.value is None else repr(self.value)
            return f"speaker of quote {names}: {who}"
        if self.kind == "reject":
            return f"reject {self.value} {names}"
        return f"undo {self.undone}"


@dataclass(frozen=True, slots=True)
class LogProblem:
    """A line of the log that does not parse: skipped, the others still apply."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Status:
    """What became of one edit when the log was last applied."""

    edit_id: str
    line: int
    applied: bool
    message: str = ""
    candidates: tuple[str, ...] = ()


def new_edit(
    kind: str,
    targets: Sequence[str] = (),
    value: str | None = None,
    *,
    note: str = "",
    undone: str = "",
    now: datetime | None = None,
) -> Edit:
    """A new edit with a fresh id and the time now (UTC), checked as a log line would be."""
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    edit = Edit(f"e-{uuid.uuid4().hex[:8]}", kind, tuple(targets), value, when, note, undone)
    return _checked(edit)


def parse_line(text: str, line: int) -> Edit:
    """One log line as an edit; raises `EditError` saying what is wrong with it."""
    try:
        data = json.loads(text)
    except ValueError as err:
        raise EditError(f"not JSON: {err}") from err
    if not isinstance(data, dict):
        raise EditError("not a JSON object")
    kind = data.get("kind")
    if kind not in KINDS:
        raise EditError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
    edit_id = data.get("edit_id")
    if not isinstance(edit_id, str) or not edit_id.strip():
        raise EditError("no edit_id")
    targets = data.get("targets", [])
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise EditError("targets must be a list of strings")
    value = data.get("value")
    if value is not None and not isinstance(value, str):
        raise EditError("value must be a string or null")
    undone = data.get("edit", "")
    note = data.get("note") or ""
    when = data.get("when") or ""
    if not isinstance(undone, str) or not isinstance(note, str) or not isinstance(when, str):
        raise EditError("edit, note and when must be strings")
    return _checked(Edit(edit_id, kind, tuple(targets), value, when, note, undone, line))


def _checked(edit: Edit) -> Edit:
    """`edit` when its fields fit its kind, with a type in capitals; else `EditError`."""
    kind, n, value = edit.kind, len(edit.targets), edit.value
    if kind not in KINDS:
        raise EditError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
    if kind == "undo":
        if not edit.undone:
            raise EditError("an undo names the edit it cancels in 'edit'")
        return edit
    if any(not t.strip() for t in edit.targets):
        raise EditError("an empty target")
    if kind == "merge":
        if n < 1 or not value or not value.strip():
            raise EditError("a merge needs at least one name and the name to merge into")
        return edit
    if n != 1:
        raise EditError(f"{kind} takes exactly one target, not {n}")
    if kind in ("split", "rename") and (not value or not value.strip()):
        raise EditError(f"{kind} needs a {'alias' if kind == 'split' else 'new name'}")
    if kind == "retype":
        wanted = (value or "").strip().upper()
        if wanted not in TYPES:
            raise EditError(
                f"no entity type {value!r}; types are {', '.join(TYPES)}", candidates=TYPES
            )
        return replace(edit, value=wanted)
    if kind == "hide" and value is not None:
        raise EditError("hide takes no value")
    if kind == "speaker" and value is not None and not value.strip():
        raise EditError("an empty speaker (use null for no speaker)")
    if kind == "reject" and value not in REJECTABLE:
        raise EditError(f"reject a figure or an event, not {value!r}")
    return edit


def parse_log(text: str) -> tuple[list[Edit], list[LogProblem]]:
    """Every edit of a log, and each line that does not parse (with its line number)."""
    edits: list[Edit] = []
    problems: list[LogProblem] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            edit = parse_line(line, number)
        except EditError as err:
            problems.append(LogProblem(number, str(err)))
            continue
        if edit.edit_id in seen:
            problems.append(LogProblem(number, f"edit_id {edit.edit_id!r} is used twice"))
            continue
        seen.add(edit.edit_id)
        edits.append(edit)
    return edits, problems


def active(edits: Sequence[Edit]) -> tuple[list[Edit], dict[str, Status]]:
    """The edits still in force (not undone), in log order, and the status of every undo."""
    by_id = {e.edit_id: e for e in edits}
    undone: dict[str, str] = {}
    statuses: dict[str, Status] = {}
    for edit in edits:
        if edit.kind != "undo":
            continue
        target = by_id.get(edit.undone)
        message = ""
        if target is None or target.line > edit.line:
            message = f"no earlier edit {edit.undone!r} to undo"
        elif target.kind == "undo":
            message = "an undo cannot be undone; make the edit again"
        elif edit.undone in undone:
            message = f"{edit.undone} was already undone by {undone[edit.undone]}"
        else:
            undone[edit.undone] = edit.edit_id
        statuses[edit.edit_id] = Status(edit.edit_id, edit.line, not message, message)
    for edit_id, by in undone.items():
        statuses[edit_id] = Status(edit_id, by_id[edit_id].line, False, f"undone by {by}")
    kept = [e for e in edits if e.kind != "undo" and e.edit_id not in undone]
    return kept, statuses


# -- applying ----------------------------------------------------------------------------------


@dataclass
class Applied:
    """What the edits change, for the row pass: links, speakers, rejected rows."""

    links: Mapping[Key, CorpusEntity]
    hidden: frozenset[Key] = frozenset()  # articles' entities that are hidden
    speakers: dict[str, CorpusEntity | None] = field(default_factory=dict)
    rejected: dict[str, frozenset[str]] = field(default_factory=dict)  # table -> row ids
    statuses: dict[str, Status] = field(default_factory=dict)
    # Row edits whose row has not been seen yet: table -> row id -> edit ids.
    pending: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    edits: tuple[Edit, ...] = ()

    def seen(self, table: str, ids: pa.ChunkedArray | pa.Array) -> None:
        """Rows of `table` met in the row pass: the edits aimed at them found their target."""
        pending = self.pending.get(table)
        if pending:
            wanted = pa.array(list(pending), pa.string())
            for row_id in ids.filter(pc.is_in(ids, value_set=wanted)).to_pylist():
                pending.pop(row_id, None)

    def report(self) -> list[Status]:
        """Every edit's status in log order, once the row pass is over."""
        statuses = dict(self.statuses)
        for table, missing in self.pending.items():
            what = "quote" if table == "quotes" else table.rstrip("s")
            for row_id, edit_ids in missing.items():
                for edit_id in edit_ids:
                    old = statuses[edit_id]
                    statuses[edit_id] = replace(
                        old, applied=False, message=f"no {what} {row_id!r} in the store"
                    )
        return sorted(statuses.values(), key=lambda s: (s.line, s.edit_id))


def apply_edits(
    doc_entities: Sequence[DocEntity],
    links: Mapping[Key, CorpusEntity],
    edits: Sequence[Edit],
) -> Applied:
    """The corpus linking `links` (of the articles' entities `doc_entities`) after `edits`.

    Pure: nothing given is changed. Each edit is applied to the state the edits before it
    left; one that cannot be (an unknown or ambiguous name) changes nothing and says why in
    its status. Row edits are checked against the rows in the row pass (`Applied.seen`).
    """
    kept, statuses = active(edits)
    if not kept:
        return Applied(links=links, statuses=statuses, edits=tuple(edits))
    state = _State(doc_entities, links)
    speakers: dict[str, str | None] = {}
    rejected: dict[str, set[str]] = defaultdict(set)
    pending: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for edit in kept:
        try:
            if edit.kind == "speaker":
                quote = edit.targets[0]
                speakers[quote] = None if edit.value is None else state.resolve(edit.value)
                pending["quotes"][quote].append(edit.edit_id)
            elif edit.kind == "reject":
                table = REJECTABLE[edit.value or ""][0]
                rejected[table].add(edit.targets[0])
                pending[table][edit.targets[0]].append(edit.edit_id)
            else:
                state.apply(edit)
        except EditError as err:
            statuses[edit.edit_id] = Status(
                edit.edit_id, edit.line, False, str(err), err.candidates
            )
            continue
        statuses[edit.edit_id] = Status(edit.edit_id, edit.line, True)
    final = state.final()
    edited, hidden = _relinked(links, state.original, final, state.moved)
    return Applied(
        links=edited,
        hidden=hidden,
        speakers={q: None if e is None else final.get(e) for q, e in speakers.items()},
        rejected={t: frozenset(ids) for t, ids in rejected.items()},
        statuses=statuses,
        pending={t: dict(rows) for t, rows in pending.items()},
        edits=tuple(edits),
    )


def _relinked(
    links: Mapping[Key, CorpusEntity],
    original: Mapping[str, CorpusEntity],
    final: Mapping[str, CorpusEntity | None],
    moved: Mapping[Key, str],
) -> tuple[dict[Key, CorpusEntity], frozenset[Key]]:
    """`links` with each entity the edits changed replaced, and the keys now hidden.

    A plain dict (copied in C, then only the changed keys touched): the row pass looks up
    every row, so the edited linking must be as quick to read as the linking itself.
    """
    edited = dict(links)
    hidden: set[Key] = set()
    changed = {i for i, e in original.items() if final[i] != e}
    if changed:
        for key, entity in links.items():
            if entity.entity_id in changed:
                new = final[entity.entity_id]
                if new is None:
                    hidden.add(key)
                    del edited[key]
                else:
                    edited[key] = new
    for key, ident in moved.items():
        new = final[ident]
        if new is None:
            hidden.add(key)
            edited.pop(key, None)
        else:
            hidden.discard(key)
            edited[key] = new
    return edited, frozenset(hidden)


class _State:
    """The entities while the edits are replayed: ids redirected, renamed, split."""

    def __init__(self, doc_entities: Sequence[DocEntity], links: Mapping[Key, CorpusEntity]):
        self.docs = doc_entities
        self.links = links
        self.entities: dict[str, CorpusEntity] = {}
        for entity in links.values():
            self.entities.setdefault(entity.entity_id, entity)
        self.original = dict(self.entities)  # as linked, before any edit
        self.redirect: dict[str, str | None] = {}  # merged -> into, hidden -> None
        self.moved: dict[Key, str] = {}  # split off: key -> new entity id
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for ident, entity in self.entities.items():
            self.by_name[name_norm(entity.name)].add(ident)
        self._aliases: dict[str, set[str]] | None = None
        self._by_doc_name: dict[str, list[DocEntity]] | None = None

    # -- finding entities ------------------------------------------------------------------

    def find(self, ident: str) -> str | None:
        """The entity an id stands for now (None: hidden)."""
        seen = 0
        current: str | None = ident
        while current is not None and current in self.redirect:
            current = self.redirect[current]
            seen += 1
            if seen > len(self.redirect):  # a cycle cannot be made, but never loop forever
                break
        return current

    def aliases(self) -> dict[str, set[str]]:
        """Every name an article wrote for an entity -> the ids it was linked to (lazy)."""
        if self._aliases is None:
            found: dict[str, set[str]] = defaultdict(set)
            for doc in self.docs:
                linked = self.links.get((doc.doc_id, doc.ref))
                if linked is None:
                    continue
                found[name_norm(doc.name)].add(linked.entity_id)
                for alias in doc.aliases:
                    found[name_norm(alias)].add(linked.entity_id)
            self._aliases = found
        return self._aliases

    def by_doc_name(self) -> dict[str, list[DocEntity]]:
        if self._by_doc_name is None:
            found: dict[str, list[DocEntity]] = defaultdict(list)
            for doc in self.docs:
                found[name_norm(doc.name)].append(doc)
            self._by_doc_name = found
        return self._by_doc_name

    def current(self, doc: DocEntity) -> str | None:
        key = (doc.doc_id, doc.ref)
        moved = self.moved.get(key)
        if moved is not None:
            return self.find(moved)
        linked = self.links.get(key)
        return None if linked is None else self.find(linked.entity_id)

    def label(self, ident: str) -> str:
        entity = self.entities[ident]
        return f"{entity.name} ({ident})"

    def resolve(self, name: str) -> str:
        """The one entity `name` (a name, an alias or an id) stands for now; else EditError."""
        wanted = name.strip()
        if wanted in self.entities or wanted.lower() in self.entities:
            ident = wanted if wanted in self.entities else wanted.lower()
            found = self.find(ident)
            if found is None:
                raise EditError(f"{name!r} is hidden (undo the hide to edit it)")
            return found
        norm = name_norm(wanted)
        for index in (self.by_name.get(norm, set()), self.aliases().get(norm, set())):
            matches = {self.find(i) for i in index}
            live = sorted(m for m in matches if m is not None)
            if len(live) == 1:
                return live[0]
            if len(live) > 1:
                labels = [self.label(i) for i in live]
                raise EditError(
                    f"{name!r} names {len(live)} entities: {'; '.join(labels)}; give the id",
                    candidates=labels,
                )
            if matches:
                raise EditError(f"{name!r} is hidden (undo the hide to edit it)")
        live_names = {e.name: i for i, e in self.entities.items() if self.find(i) == i}
        close = difflib.get_close_matches(wanted, list(live_names), n=5, cutoff=0.5)
        if not close:
            folded = wanted.casefold()
            close = [n for n in live_names if folded in n.casefold()][:5]
        hint = ", ".join(close) or "none"
        raise EditError(f"no entity is named {name!r}; closest: {hint}", candidates=close)

    def unique_id(self, name: str, type_: str) -> str:
        base = entity_id(name, type_)
        ident, n = base, 2
        while ident in self.entities:
            ident = f"{base}-{n}"
            n += 1
        return ident

    # -- changing them ---------------------------------------------------------------------

    def apply(self, edit: Edit) -> None:
        value = edit.value or ""
        if edit.kind == "merge":
            into = self.resolve(value)
            sources = [self.resolve(t) for t in edit.targets]
            for source in sources:
                if source != into:
                    self.redirect[source] = into
        elif edit.kind == "split":
            self._split(self.resolve(edit.targets[0]), value.strip(), edit.targets[0])
        elif edit.kind == "rename":
            ident = self.resolve(edit.targets[0])
            new = value.strip()
            others = {self.find(i) for i in self.by_name.get(name_norm(new), set())} - {ident}
            others.discard(None)
            if others:
                taken = [self.label(i) for i in sorted(o for o in others if o)]
                raise EditError(
                    f"{'; '.join(taken)} already has the name {new!r}: merge instead",
                    candidates=taken,
                )
            self.entities[ident] = replace(self.entities[ident], name=new)
            self.by_name[name_norm(new)].add(ident)
        elif edit.kind == "retype":
            ident = self.resolve(edit.targets[0])
            self.entities[ident] = replace(self.entities[ident], type=value)
        elif edit.kind == "hide":
            self.redirect[self.resolve(edit.targets[0])] = None

    def _split(self, ident: str, alias: str, target: str) -> None:
        """The articles' entities of `ident` written as `alias` become an entity of their own."""
        members = [
            d for d in self.by_doc_name().get(name_norm(alias), []) if self.current(d) == ident
        ]
        if not members:
            names = sorted({d.name for d in self.docs if self.current(d) == ident})
            raise EditError(
                f"no article names {target!r} as {alias!r} on its own; "
                f"the names it can be split by: {', '.join(names)}",
                candidates=names,
            )
        rest = any(
            self.current(d) == ident and name_norm(d.name) != name_norm(alias) for d in self.docs
        )
        if not rest:
            raise EditError(f"{alias!r} is the only name of {target!r}: nothing to split it from")
        spelled = Counter[str]()
        for doc in members:
            spelled[doc.name] += doc.n_mentions
        name = max(spelled, key=lambda n: (spelled[n], n))
        type_ = self.entities[ident].type
        new = self.unique_id(name, type_)
        self.entities[new] = CorpusEntity(new, name, type_)
        self.by_name[name_norm(name)].add(new)
        for doc in members:
            self.moved[(doc.doc_id, doc.ref)] = new

    def final(self) -> dict[str, CorpusEntity | None]:
        """Every entity id (linked or split off) -> the entity it ends as (None: hidden)."""
        out: dict[str, CorpusEntity | None] = {}
        for ident in self.entities:
            found = self.find(ident)
            out[ident] = None if found is None else self.entities[found]
        return out


LOG_COLUMNS = ("edit_id", "kind", "targets", "value", "edit", "when", "note", "line", "status")


def log_frame(entries: Sequence[tuple[Edit, str]]) -> pd.DataFrame:
    """The log as a table: one row per edit with its status (what `export --table edits` gives)."""
    rows = [
        {
            "edit_id": e.edit_id,
            "kind": e.kind,
            "targets": list(e.targets),
            "value": e.value,
            "edit": e.undone or None,
            "when": e.when,
            "note": e.note,
            "line": e.line,
            "status": status,
        }
        for e, status in entries
    ]
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS))
