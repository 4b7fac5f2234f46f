"""The progress bar of long runs: files done of the total, MB/s and time left, on stderr."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: What ``progress=`` takes: True for a bar on stderr, False or None for none, or a function
#: called as ``progress(done, total, bytes)`` a few times a second (``total`` is 0 while the
#: folders are still being walked).
ProgressArg = bool | None | Callable[[int, int, int], object]


class ProgressBar:
    """Draws ``[#####.....] 12,345/24,636 files  35.2 MB/s  0:12 left`` on one line.

    Nothing is drawn until ``after_seconds`` have passed, so short runs stay quiet; a stream
    that is not a terminal gets a line every ten seconds instead of a redrawn bar.
    """

    WIDTH = 24

    def __init__(self, *, stream: TextIO | None = None, after_seconds: float = 0.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.after_seconds = after_seconds
        self.started = time.monotonic()
        self.drawn = False
        self.last_line = 0.0
        self.done = self.total = self.bytes = 0
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int, nbytes: int) -> None:
        self.done, self.total, self.bytes = done, total, nbytes
        now = time.monotonic()
        if now - self.started < self.after_seconds:
            return
        if not self.interactive and self.drawn and now - self.last_line < 10:
            return
        self.last_line = now
        self.drawn = True
        end = "" if self.interactive else "\n"
        start = "\r" if self.interactive else ""
        self.stream.write(f"{start}{self.line(now)}{end}")
        self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.bytes / elapsed / 1e6
        if self.total <= 0:
            return f"finding files... {self.done:,} read  {rate:.1f} MB/s"
        share = min(self.done / self.total, 1.0)
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        left = ""
        if 0 < self.done < self.total:
            seconds = elapsed * (self.total - self.done) / self.done
            left = f"  {int(seconds // 60)}:{int(seconds % 60):02d} left"
        return f"[{bar}] {self.done:,}/{self.total:,} files  {rate:.1f} MB/s{left}"

    def close(self, done: int | None = None) -> None:
        """Draws the final state (``done`` of the total when given) and ends the line."""
        if not self.drawn and time.monotonic() - self.started < self.after_seconds:
            return
        if done is not None:
            self.done = self.total = max(done, self.done)
        self.stream.write(("\r" if self.interactive else "") + self.line(time.monotonic()) + "\n")
        self.stream.flush()


def callback(progress: ProgressArg) -> Callable[[int, int, int], object] | None:
    """The function the engine calls for ``progress=``: a :class:`ProgressBar` for True."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return ProgressBar()
    if callable(progress):
        return progress
    raise TypeError(f"progress must be True, False or a function, not {progress!r}")


def close(report: object, done: int) -> None:
    if isinstance(report, ProgressBar):
        report.close(done)
