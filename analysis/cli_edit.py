"""`newslens edit`: the corrections sub-command, its parser and its handler."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EDIT_HELP = """
NAME is an entity's name, one of its aliases or its id (see `newslens export STORE --table
entities`). Edits are kept in STORE/edits.jsonl and applied again on every `newslens
analyze`, to new articles too; the tables change at once. Undo with --undo EDIT_ID."""


def add_edit_parser(commands: Any) -> None:
    """`newslens edit`: one sub-command per kind of correction, plus --list and --undo."""
    edit = commands.add_parser(
        "edit",
        help="correct what the extraction got wrong (merge, split, rename, retype, hide, ...)",
        description="Correct the entities, quotes, figures and events of STORE. " + EDIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    edit.add_argument("store", type=Path, metavar="STORE", help="store folder")
    edit.add_argument("--list", action="store_true", help="list every edit with its status")
    edit.add_argument("--undo", metavar="EDIT_ID", help="cancel an edit (the log keeps both)")
    edit.add_argument("--note", default="", metavar="TEXT", help="why (kept in the log)")
    edit.add_argument(
        "--no-wait", action="store_true", help="refuse instead of waiting for a running analysis"
    )
    kinds = edit.add_subparsers(
        dest="kind",
        metavar="EDIT",
        help="the correction: merge, split, rename, retype, hide, speaker, reject",
    )

    def kind(name: str, help_: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = kinds.add_parser(
            name,
            help=help_,
            description=help_ + "\n" + EDIT_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "--note", default=argparse.SUPPRESS, metavar="TEXT", help="why (kept in the log)"
        )
        return sub

    merge = kind("merge", "merge entities into one, under the name of the one given to --into")
    merge.add_argument("names", nargs="+", metavar="NAME", help="the entities to merge")
    merge.add_argument("--into", required=True, metavar="NAME", help="the entity they become")
    split = kind("split", "split off the articles that name an entity ALIAS into an entity")
    split.add_argument("name", metavar="NAME", help="the entity")
    split.add_argument("alias", metavar="ALIAS", help="the name that is someone else")
    rename = kind("rename", "give an entity a new canonical name (its id stays)")
    rename.add_argument("name", metavar="NAME", help="the entity")
    rename.add_argument("new_name", metavar="NEW_NAME", help="its new name")
    retype = kind("retype", "change an entity's type")
    retype.add_argument("name", metavar="NAME", help="the entity")
    retype.add_argument("type", metavar="TYPE", help="PERSON, ORG, GPE, NORP, LOC, ...")
    hide = kind("hide", "hide a non-entity everywhere (its mentions and its ids in every row)")
    hide.add_argument("name", metavar="NAME", help="the entity")
    speaker = kind("speaker", "give a quote another speaker, or none")
    speaker.add_argument("quote_id", metavar="QUOTE_ID", help="the quote's quote_id")
    who = speaker.add_mutually_exclusive_group(required=True)
    who.add_argument("name", nargs="?", metavar="NAME", help="the entity that said it")
    who.add_argument("--none", action="store_true", help="the quote has no speaker")
    reject = kind("reject", "mark a figure or an event as wrong: hidden, kept in the log")
    reject.add_argument("what", choices=["figure", "event"], help="figure or event")
    reject.add_argument("row_id", metavar="ID", help="its figure_id or event_id")


def _edit_from_args(args: argparse.Namespace) -> Any:
    from analysis.edits import new_edit

    note = args.note or ""
    if args.undo:
        return new_edit("undo", undone=args.undo, note=note)
    kind = args.kind
    if kind == "merge":
        return new_edit(kind, args.names, args.into, note=note)
    if kind == "split":
        return new_edit(kind, [args.name], args.alias, note=note)
    if kind == "rename":
        return new_edit(kind, [args.name], args.new_name, note=note)
    if kind == "retype":
        return new_edit(kind, [args.name], args.type, note=note)
    if kind == "hide":
        return new_edit(kind, [args.name], note=note)
    if kind == "speaker":
        return new_edit(kind, [args.quote_id], None if args.none else args.name, note=note)
    return new_edit("reject", [args.row_id], args.what, note=note)


def cmd_edit(args: argparse.Namespace) -> int:
    from analysis.edits import EditError
    from analysis.pipeline import edit_log, record_edit
    from analysis.store import Store, StoreError, StoreLockedError

    if not Store(args.store).exists():
        print(f"newslens: {args.store}: not a newslens store", file=sys.stderr)
        return 1
    chosen = sum([bool(args.list), bool(args.undo), args.kind is not None])
    if chosen != 1:
        print("newslens edit: give one edit, --list or --undo EDIT_ID", file=sys.stderr)
        return 2
    if args.list:
        entries, problems = edit_log(args.store)
        for edit, status in entries:
            note = f"  ({edit.note})" if edit.note else ""
            print(f"{edit.edit_id}  {edit.when}  {edit.describe()}{note}  [{status}]")
        for problem in problems:
            print(f"edits.jsonl {problem} (skipped)")
        if not entries and not problems:
            print("no edits", file=sys.stderr)
        return 0
    try:
        edit = _edit_from_args(args)
        report = record_edit(args.store, edit, wait=not args.no_wait)
    except EditError as err:
        print(f"newslens: {err}; nothing was changed", file=sys.stderr)
        return 2
    except (StoreLockedError, StoreError) as err:
        print(f"newslens: {err}", file=sys.stderr)
        return 1
    print(f"{edit.edit_id}: {edit.describe()}", file=sys.stderr)
    for result in report:
        if not result.applied and not result.message.startswith("undone by"):
            print(f"note: edit {result.edit_id} not applied: {result.message}", file=sys.stderr)
    return 0
