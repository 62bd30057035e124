"""Stopping a long command cleanly: SIGTERM or SIGINT (Ctrl-C) is noted, and the command ends at its next safe point
(after the file or batch it is recording) instead of dying half-way. Shared by `lwf import photos` and
`lwf import sites`."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Final

STOP_SIGNALS: Final = (signal.SIGTERM, signal.SIGINT)


class StopRequest:
    """Set by SIGTERM or SIGINT while `listening`: ``signal_name`` says which; a command checks it when safe."""

    def __init__(self) -> None:
        self.signal_name = ""

    @contextlib.contextmanager
    def listening(self) -> Iterator[None]:
        """Catch SIGTERM and SIGINT for the duration (main thread only; elsewhere signals stay as they are)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def stop(number: int, _frame: object) -> None:
            self.signal_name = signal.Signals(number).name

        previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)


def exit_status(signal_name: str) -> int:
    """The exit status of a command stopped by the named signal, as shells report one killed by it (128 + its
    number: 143 for SIGTERM, 130 for SIGINT)."""
    return 128 + int(signal.Signals[signal_name])
