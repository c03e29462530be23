"""Progress of an experiment: a live bar in a terminal, plain periodic log lines otherwise (cluster logs
keep only what was printed, and a bar's final state says nothing about how long each part took)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class PlainProgress:
    """Logs ``[done/total runs] elapsed, ~remaining`` every ``every`` seconds and at the end."""

    def __init__(self, stream: TextIO | None = None, every: float = 30.0) -> None:
        self.stream, self.every = stream or sys.stderr, every
        self.start = time.monotonic()
        self.last = -float("inf")

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and done > 0 and now - self.last < self.every:
            return
        self.last = now
        elapsed = now - self.start
        rate = elapsed / done if done else float("nan")
        remaining = f"~{rate * (total - done):.0f}s left" if done else "estimating"
        print(f"[{done}/{total} runs] {elapsed:.0f}s elapsed, {remaining}", file=self.stream, flush=True)

    def close(self) -> None:
        pass


class BarProgress:
    """A rich progress bar with counts, elapsed and remaining time."""

    def __init__(self, description: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

        self.bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TimeRemainingColumn(), transient=False)
        self.task = self.bar.add_task(description, total=None)
        self.bar.start()

    def __call__(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        self.bar.stop()


def progress_for(description: str, stream: TextIO | None = None):
    stream = stream or sys.stderr
    return BarProgress(description) if stream.isatty() else PlainProgress(stream)
