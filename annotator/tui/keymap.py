"""The user's key remapping: ``$XDG_CONFIG_HOME/annotator/keymap.toml``, binding id -> keys,
read by both apps (``annotator annotate`` and ``annotator review``).

```toml
# keys for one binding id; several keys separated by commas
"annotate.undo" = "ctrl+u"
"label.ACTOR" = "a,1"
```
A ``[keys]`` table holding the same pairs works too. Ids are listed by ``?`` in the apps and in
docs/keys.md.

``load_checked`` refuses, with one line naming the file, the line and both binding ids, a
keymap (or a schema's label key) that gives one key to two bindings live at the same time:
Textual would otherwise let one silently shadow the other.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.errors import UserError

if TYPE_CHECKING:
    from annotator.tui.bindings import SchemaLike, Scope


def keymap_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "annotator" / "keymap.toml"


def load_keymap(
    path: Path | None = None, *, known_ids: Iterable[str] | Callable[[], Iterable[str]] = ()
) -> dict[str, str]:
    """Read the keymap (empty if the file does not exist); a mistake is a ``UserError``.

    ``known_ids`` may be a function: it is called only when there is a file to check (the
    ids come from every screen's bindings, which need not be imported otherwise).
    """
    from annotator.tui.bindings import RESERVED_KEYS, normal_keys

    path = path or keymap_path()
    if not path.exists():
        return {}
    if callable(known_ids):
        known_ids = known_ids()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the keymap ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("keys", data) if isinstance(data.get("keys"), dict) else data
    known = set(known_ids)
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        where = f"{path}:{line_of(text, binding_id)}" if line_of(text, binding_id) else str(path)
        if not isinstance(keys, str) or not keys.strip() or any(not k.strip() for k in keys.split(",")):
            raise UserError(f'{where}: {binding_id}: keys must be a string such as "ctrl+u" or "a,1"')
        if known and binding_id not in known:
            raise UserError(f"{where}: {binding_id}: no such binding id (press ? in the app to see them)")
        for key in normal_keys(keys):
            if key in RESERVED_KEYS:
                raise UserError(f"{where}: {binding_id}: {key} is {RESERVED_KEYS[key]}; choose another")
        keymap[binding_id] = ",".join(k.strip() for k in keys.split(","))
    return keymap


def line_of(text: str, binding_id: str) -> int:
    """The line of ``binding_id``'s entry in the keymap's text (0 if not found)."""
    entry = re.compile(r"""^\s*(?:"{0}"|'{0}'|{0})\s*=""".format(re.escape(binding_id)))
    return next((n for n, line in enumerate(text.splitlines(), 1) if entry.match(line)), 0)


def _schema_line(origin: str, key: str) -> str:
    """``origin:line`` of the schema's ``key = "<key>"`` (just ``origin`` if not found)."""
    try:
        text = Path(origin).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return origin
    entry = re.compile(r"""^\s*key\s*=\s*(?:"{0}"|'{0}')""".format(re.escape(key)))
    number = next((n for n, line in enumerate(text.splitlines(), 1) if entry.match(line)), 0)
    return f"{origin}:{number}" if number else origin


def check(keymap: Mapping[str, str], all_scopes: Iterable[Scope], *, path: Path, schema_origin: str) -> None:
    """Refuse any key given to two binding ids in one scope, once ``keymap`` is applied.

    The line names the file and line to change and both ids: the keymap entry when the keymap
    made the clash, else the schema's label key.
    """
    from annotator.tui.bindings import effective_keys

    text = path.read_text(encoding="utf-8") if keymap and path.exists() else ""
    for scope in all_scopes:
        owner: dict[str, str] = {}  # key -> the first binding id holding it
        for _layer, binding in scope.with_ids():
            ident = binding.id or ""
            for key in effective_keys(binding, keymap):
                other = owner.setdefault(key, ident)
                if other == ident:
                    continue
                raise UserError(_clash_line(key, other, ident, scope.name, keymap, text, path, schema_origin))


def _clash_line(
    key: str, first: str, second: str, scope: str, keymap: Mapping[str, str], text: str, path: Path, origin: str
) -> str:
    remapped = [i for i in (first, second) if i in keymap]
    if remapped:
        # the entry to change: the remapped one (the later in the file when both are)
        mine = max(remapped, key=lambda i: line_of(text, i))
        other = second if mine == first else first
        line = line_of(text, mine)
        where = f"{path}:{line}" if line else str(path)
        return (
            f"{where}: {mine} = {keymap[mine]!r} gives {key} to two bindings on the {scope} screen:"
            f" {mine} and {other} (remap one of them to another key)"
        )
    label, command = (first, second) if first.split(".")[-2:-1] == ["label"] else (second, first)
    return (
        f"{_schema_line(origin, key)}: label key {key!r} is taken on the {scope} screen:"
        f" {label} and {command} (choose another key in the schema, or remap {command} in {path})"
    )


def load_checked(schema: SchemaLike, path: Path | None = None, *, origin: str | None = None) -> dict[str, str]:
    """The keymap for either app, checked against both apps' bindings and ``schema``'s label keys.

    ``origin``: the schema's file, for the line of a clashing label key. Without a keymap file only the label keys are checked (against the screens and their
    widgets: the modal screens have no label keys and are not imported then).
    """
    from annotator.tui import bindings

    path = path or keymap_path()
    origin = origin or str(getattr(schema, "origin", "") or "the label schema")
    if not path.exists():
        check({}, bindings.scopes(schema, modals=False), path=path, schema_origin=origin)
        return {}
    all_scopes = bindings.scopes(schema)
    known = {b.id for scope in all_scopes for _layer, b in scope.with_ids() if b.id}
    keymap = load_keymap(path, known_ids=known)
    check(keymap, all_scopes, path=path, schema_origin=origin)
    return keymap
