"""A small progress bar for management commands.

On a terminal it redraws one line with a carriage return; anywhere else (CI logs, files, pipes) it
prints a plain line at each 10 % step so logs stay short. With no stream, or nothing to do (a total
of 0), it is silent, so services can take an optional stream and always report progress.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")

_BAR_WIDTH = 30
# Redrawing faster than the eye can follow only costs time on a slow terminal.
_REDRAW_SECONDS = 0.1


class Progress:
    """Counts work done towards a known total and shows it on `stream`.

    Use as a context manager (`with Progress(total, stream=...) as bar: bar.advance()`), or wrap an
    iterable with `progress(...)`. Leaving the context finishes the bar.
    """

    def __init__(self, total: int, *, stream: TextIO | None, label: str = "") -> None:
        self.total = max(total, 0)
        self.done = 0
        self.label = label
        self._stream = stream if self.total else None
        self._tty = bool(self._stream is not None and getattr(stream, "isatty", lambda: False)())
        self._last_step = 0  # the last 10 % step printed, in log mode
        self._last_draw = 0.0
        self._finished = False

    def __enter__(self) -> Progress:
        if self._tty:
            self._draw()
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        # After an error the bar stays where it stopped, so the log shows how far it got.
        self.finish(complete=exc_type is None)

    def advance(self, amount: int = 1) -> None:
        self.update(self.done + amount)

    def update(self, done: int) -> None:
        self.done = min(max(done, 0), self.total)
        if self._stream is None or self._finished:
            return
        if self._tty:
            now = time.monotonic()
            if now - self._last_draw >= _REDRAW_SECONDS:
                self._draw()
        else:
            step = self.done * 10 // self.total
            if step > self._last_step:
                self._last_step = step
                self._write(self._text() + "\n")

    def finish(self, *, complete: bool = True) -> None:
        if self._finished:
            return
        if complete:
            self.done = self.total
        if self._stream is not None:
            if self._tty:
                self._draw()
                self._write("\n")
            elif self.done * 10 // self.total > self._last_step:
                self._write(self._text() + "\n")
        self._finished = True

    def _draw(self) -> None:
        self._last_draw = time.monotonic()
        self._write("\r" + self._text())

    def _text(self) -> str:
        prefix = f"{self.label} " if self.label else ""
        fraction = self.done / self.total
        if self._tty:
            filled = int(fraction * _BAR_WIDTH)
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            return f"{prefix}[{bar}] {self.done:,}/{self.total:,} {fraction:4.0%}"
        return f"{prefix}{fraction:.0%} ({self.done:,}/{self.total:,})"

    def _write(self, text: str) -> None:
        assert self._stream is not None
        self._stream.write(text)
        self._stream.flush()


def progress(
    items: Iterable[T], *, stream: TextIO | None, total: int | None = None, label: str = ""
) -> Iterator[T]:
    """Yield `items` while showing a bar; `total` defaults to `len(items)`."""
    if total is None:
        total = len(items)  # type: ignore[arg-type]
    with Progress(total, stream=stream, label=label) as bar:
        for item in items:
            yield item
            bar.advance()
