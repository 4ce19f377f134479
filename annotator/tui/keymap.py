"""The user's key remapping: ``$XDG_CONFIG_HOME/annotator/keymap.toml``, binding id -> keys.

```toml
# keys for one binding id; several keys separated by commas
"annotate.undo" = "ctrl+u"
"label.ACTOR" = "a,1"
```
A ``[keys]`` table holding the same pairs works too. Ids are listed by ``?`` in the app.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.errors import UserError


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
    path = path or keymap_path()
    if not path.exists():
        return {}
    if callable(known_ids):
        known_ids = known_ids()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the keymap ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("keys", data) if isinstance(data.get("keys"), dict) else data
    known = set(known_ids)
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if not isinstance(keys, str) or not keys.strip():
            raise UserError(f'{path}: {binding_id}: keys must be a string such as "ctrl+u" or "a,1"')
        if known and binding_id not in known:
            raise UserError(f"{path}: {binding_id}: no such binding id (press ? in the app to see them)")
        if any(k.strip() == "ctrl+b" for k in keys.split(",")):
            raise UserError(f"{path}: {binding_id}: ctrl+b is tmux's prefix key; choose another")
        keymap[binding_id] = ",".join(k.strip() for k in keys.split(","))
    return keymap
