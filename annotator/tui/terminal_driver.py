"""When the terminal goes away, the app quits as ``q`` does.

A terminal that closes sends SIGHUP to its session, which ends the app. A program started in a
session of its own with no controlling terminal (a test harness, a supervisor) gets no SIGHUP:
its input simply ends. Textual's ``LinuxDriver`` then reads end-of-file forever (its input
thread spins on a descriptor that is always readable), and its writer thread dies on the first
write that fails, after which the app blocks once the writer's queue is full.

``TerminalDriver`` reads input as ``LinuxDriver`` does and, at end of input (or an input or
output error), posts ``TerminalClosed`` to the app once, after every key read before it; its
input thread then waits for the app to stop it instead of spinning, and output to the dead
terminal is dropped. ``ClosesWithTerminal`` (mixed into both apps) uses the driver and turns
the message into the app's own way of leaving (``leave_closed_terminal``), after every key
already typed has been handled.
"""

from __future__ import annotations

import os
import selectors
import sys
import threading
from codecs import getincrementaldecoder
from typing import IO, Any

from textual import constants
from textual._xterm_parser import XTermParser  # the parser LinuxDriver feeds (Textual 8)
from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

READ_SIZE = 4096


class TerminalClosed(Message):
    """The terminal is gone: its input ended, or reading or writing it failed."""


class DroppingWhenGone:
    """The driver's output file: writes go through until one fails, then (the terminal is gone)
    everything is dropped, and ``gone`` is called once. Textual's writer thread would die on
    that error and leave the app blocked on its full queue."""

    def __init__(self, file: IO[str] | None, gone: Any) -> None:
        self.file = file
        self.gone = gone
        self.failed = False

    def write(self, text: str) -> None:
        if not self.failed and self.file is not None:
            self._guard(self.file.write, text)

    def flush(self) -> None:
        if not self.failed and self.file is not None:
            self._guard(self.file.flush)

    def fileno(self) -> int:
        return self.file.fileno() if self.file is not None else -1

    def isatty(self) -> bool:
        return self.file is not None and self.file.isatty()

    def _guard(self, call: Any, *args: Any) -> None:
        try:
            call(*args)
        except (OSError, ValueError):  # EIO from a hung-up pty, EPIPE, or a closed file
            self.failed = True
            self.gone()


class TerminalDriver(LinuxDriver):
    """``LinuxDriver`` that tells the app when its terminal is gone instead of spinning."""

    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._closed_once = threading.Lock()
        self._closed_told = False
        # WriterThread takes any file-like object (write, flush, fileno), not only a TextIOWrapper
        self._file = DroppingWhenGone(self._file, self._terminal_gone)  # type: ignore[assignment]

    def _terminal_gone(self) -> None:
        with self._closed_once:
            if self._closed_told:
                return
            self._closed_told = True
        try:
            self.send_message(TerminalClosed())
        except RuntimeError:  # the app's loop has already ended
            pass

    def run_input_thread(self) -> None:
        """``LinuxDriver.run_input_thread``, ending at end of input: keys read before it are
        passed on, then ``TerminalClosed``, then the thread waits to be stopped."""
        selector = selectors.SelectSelector()  # as LinuxDriver: select() works on every tty
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        ended = False
        try:
            while not self.exit_event.is_set() and not ended:
                for _key, mask in selector.select(0.1):
                    if not mask & selectors.EVENT_READ:
                        continue
                    try:
                        data = os.read(self.fileno, READ_SIZE)
                    except OSError:  # EIO: the terminal hung up
                        data = b""
                    if not data:
                        ended = True
                        break
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():  # a lone escape becomes a key after its timeout
                    self.process_message(event)
        finally:
            selector.close()
            for event in _final_events(parser, decode):
                self.process_message(event)
        if ended:
            self._terminal_gone()
            self.exit_event.wait()  # stop_application_mode sets it; nothing to read until then


def _final_events(parser: XTermParser, decode: Any) -> list[Any]:
    """What the parser still holds when input ends (a lone escape): keys typed, passed on."""
    from textual._parser import ParseError

    found: list[Any] = []
    try:
        tail = decode(b"", final=True)
        if tail:
            found.extend(parser.feed(tail))
        found.extend(parser.feed(""))  # end of input
    except (EOFError, ParseError, UnicodeDecodeError):  # a cut escape sequence or character: not a key
        pass
    return found


class ClosesWithTerminal(App[Any]):
    """Mixed into an app after ``OrderedKeys``: runs on ``TerminalDriver`` and leaves when the
    terminal is gone, once the keys typed before are handled."""

    terminal_closed = False

    def get_driver_class(self) -> type[Driver]:
        if constants.DRIVER is not None or sys.platform == "win32":  # TEXTUAL_DRIVER, or not a POSIX tty
            return super().get_driver_class()
        return TerminalDriver

    def on_terminal_closed(self, message: TerminalClosed) -> None:
        message.stop()
        if self.terminal_closed:
            return
        self.terminal_closed = True
        gate = getattr(self, "key_gate", None)
        if gate is not None:
            gate.after_keys(self.leave_closed_terminal)
        else:
            self.leave_closed_terminal()

    def leave_closed_terminal(self) -> None:
        """Leave as the app's quit key does (each app says how)."""
        self.exit()
