"""Where an export goes: an atomically written file or folder, or standard output.

A file is written to a hidden temporary file in the target's own folder and renamed over
the target only when the export has finished, so a failed or interrupted export leaves
neither half a file nor a temporary file behind. An existing target is refused unless
``force``. Standard output on a terminal gets control characters escaped, so untrusted
document text cannot drive the terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from annotator.errors import UserError
from annotator.untrusted import escape_for_terminal


def check_target(path: Path, *, force: bool, folder: bool = False) -> None:
    """Refuse an existing target (unless ``force``) before any work is done."""
    if path.exists() or path.is_symlink():
        if not force:
            raise UserError(f"{path}: already exists (use --force to overwrite it)")
        if folder and not path.is_dir():
            raise UserError(f"{path}: exists and is not a folder")
        if not folder and path.is_dir():
            raise UserError(f"{path}: is a folder; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{path}: the folder {parent} does not exist")


def current_umask() -> int:
    """The process's umask (read by setting it back at once: the CLI has one thread here)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target_mode(path: Path, *, folder: bool) -> int:
    """What a new file or folder gets under the umask (0644 / 0755 under 022); an existing
    target replaced with ``--force`` keeps its mode."""
    try:
        if path.exists() and not path.is_symlink():
            return path.stat().st_mode & 0o7777
    except OSError:
        pass
    return (0o777 if folder else 0o666) & ~current_umask()


def write_failed(target: Path | None, exc: OSError) -> UserError:
    """A failed write (disk full, quota, file too large, I/O error) as one line."""
    where = str(target) if target is not None else "standard output"
    return UserError(f"{where}: cannot write the export ({exc.strerror or exc}); nothing was written")


def _publish(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # atomic and never overwrites: fails if someone created it meanwhile
    except FileExistsError:
        raise UserError(f"{path}: already exists (use --force to overwrite it)") from None
    except OSError:
        if path.exists():
            raise UserError(f"{path}: already exists (use --force to overwrite it)") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _work_prefix(path: Path) -> str:
    """Work files are named ``.TARGET.PID.xxxx.part``: the PID tells whose they are."""
    return f".{path.name}.{os.getpid()}."


def _sweep_stale(parent: Path, name: str) -> None:
    """Remove work files of exports to ``name`` whose process is gone (killed with -9)."""
    prefix = f".{name}."
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(".part")]
    except OSError:
        return
    for candidate in candidates:
        pid = candidate.name[len(prefix) :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running (or not ours to signal): leave it alone
        except ProcessLookupError:
            pass
        except OSError:
            continue
        if candidate.is_dir() and not candidate.is_symlink():
            shutil.rmtree(candidate, ignore_errors=True)
        else:
            candidate.unlink(missing_ok=True)


@contextmanager
def atomic_file(path: Path, *, force: bool = False) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` complete, or not at all."""
    check_target(path, force=force)
    parent = path.parent if str(path.parent) else Path(".")
    _sweep_stale(parent, path.name)
    mode = _target_mode(path, folder=False)
    fd, name = tempfile.mkstemp(dir=parent, prefix=_work_prefix(path), suffix=".part")
    tmp = Path(name)
    try:
        os.fchmod(fd, mode)  # mkstemp makes 0600: teammates on a shared server could not read it
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _publish(tmp, path, force)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def atomic_folder(path: Path, *, force: bool = False) -> Iterator[Path]:
    """A folder that appears at ``path`` complete, or not at all (``force`` replaces it)."""
    check_target(path, force=force, folder=True)
    parent = path.parent if str(path.parent) else Path(".")
    _sweep_stale(parent, path.name)
    mode = _target_mode(path, folder=True)
    tmp = Path(tempfile.mkdtemp(dir=parent, prefix=_work_prefix(path), suffix=".part"))
    old: Path | None = None
    try:
        os.chmod(tmp, mode)  # mkdtemp makes 0700
        yield tmp
        if path.exists():
            if not force:
                raise UserError(f"{path}: already exists (use --force to overwrite it)")
            old = Path(tempfile.mkdtemp(dir=parent, prefix=f".{path.name}.", suffix=".old"))
            os.rmdir(old)
            os.replace(path, old)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists():
            shutil.rmtree(old, ignore_errors=True)


class _TerminalSafe:
    """Standard output on a terminal: control characters shown escaped, never sent raw."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def write(self, data: bytes) -> int:
        text = data.decode("utf-8", "surrogateescape")
        safe = escape_for_terminal(text)
        self.raw.write(safe.encode("utf-8", "surrogateescape"))
        return len(data)

    def flush(self) -> None:
        self.raw.flush()


@contextmanager
def stdout_sink() -> Iterator[BinaryIO]:
    raw = sys.stdout.buffer
    sink = _TerminalSafe(raw) if sys.stdout.isatty() else raw
    try:
        yield sink  # type: ignore[misc]
        raw.flush()
    except BrokenPipeError:  # `annotator export | head`: the reader has gone
        _silence_stdout()
    except OSError as exc:  # a full disk behind `> file`
        _silence_stdout()
        raise write_failed(None, exc) from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
