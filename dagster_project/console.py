"""What `make run` prints on the terminal: one line per stage, one progress line for extraction
and one for dbt, then the summary. Everything else (Dagster's log, dbt's per-model lines, library
warnings and progress bars) goes to the run log beside the warehouse (``run_log_path``).

The build runs in a child process (dagster_project/run.py) whose stdout and stderr are the run
log; the terminal reaches it as the descriptor named by BUDGET_CONSOLE_FD. ``say`` writes a line
to both. Outside a `make run` build (`make ui`, a test calling the assets) there is no console
descriptor: ``say`` and the progress lines write to stderr.

A progress line rewrites itself in place on a terminal (a carriage return, no ANSI codes); into a
file or a pipe it is printed for the first item, then at most every ``every`` seconds, and for
the last, so a long run shows that it moves and a short one prints two lines.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Optional, TextIO

CONSOLE_FD_ENV = "BUDGET_CONSOLE_FD"
_console: Optional[TextIO] = None


def run_log_path(warehouse: Path) -> Path:
    """The full log of the last build (Dagster, dbt's output, warnings), next to the warehouse."""
    return warehouse.with_name(warehouse.name + ".run.log")


def console() -> TextIO:
    """The user's terminal (or whatever `make run`'s stderr is)."""
    global _console
    if _console is None:
        fd = os.environ.get(CONSOLE_FD_ENV)
        try:
            _console = os.fdopen(int(fd), "w", buffering=1, encoding="utf-8", errors="replace",
                                 closefd=False) if fd else sys.stderr
        except (OSError, ValueError):
            _console = sys.stderr
    return _console


def logs_apart() -> bool:
    """The console is not stderr: stderr is the run log."""
    return console() is not sys.stderr


def say(msg: str) -> None:
    """A line for the user, kept in the run log too."""
    print(msg, file=console(), flush=True)
    if logs_apart():
        print(msg, file=sys.stderr, flush=True)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressLine:
    """``update(i, n, text)``: `  <label> [ i/n] <text>`, in place on a terminal, sparsely elsewhere
    (see the module docstring); ``update`` with i == n (or final=True) ends the line. The last line also goes to
    the run log."""

    def __init__(self, label: str, every: float = 10.0, stream: Optional[TextIO] = None):
        self.label, self.every = label, every
        self.stream = stream or console()
        self.tty = is_terminal(self.stream)
        self.start = time.perf_counter()
        self.last: Optional[float] = None
        self.open = False  # a line written in place and not ended yet

    def line(self, i: int, n: int, text: str) -> str:
        return f"  {self.label} [{i:>{len(str(n))}}/{n}] {text}".rstrip()

    def update(self, i: int, n: int, text: str = "", final: Optional[bool] = None) -> None:
        now = time.perf_counter()
        msg = self.line(i, n, text)
        final = i >= n if final is None else final
        if self.tty:
            width = max(20, shutil.get_terminal_size((100, 20)).columns - 1)
            self.stream.write("\r" + msg[:width].ljust(width) + ("\n" if final else ""))
            self.stream.flush()
            self.open = not final
        elif final or self.last is None or now - self.last >= self.every:
            print(msg, file=self.stream, flush=True)
        else:
            return
        self.last = now
        if final and logs_apart():
            print(msg, file=sys.stderr, flush=True)

    def end(self) -> None:
        """Ends a line left open in place (an interrupted loop)."""
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False

    def rate(self, i: int) -> float:
        return i / max(time.perf_counter() - self.start, 1e-9)


class ExtractProgress(ProgressLine):
    """The extraction progress: `  extract [3/5]  2.4 docs/s  003_….txt` (iter_extract's callback)."""

    def __init__(self, **kw):
        super().__init__("extract", **kw)

    def __call__(self, i: int, n: int, name: str) -> None:
        self.update(i, n, f"{self.rate(i):6.1f} docs/s  {name}")


class DbtProgress(ProgressLine):
    """dbt's progress from its structured events (dagster-dbt streams dbt's JSON log lines): one
    step per node finished or skipped (model, seed, data test, unit test) out of the build's total, and at the
    end what ran and dbt's PASS/WARN/ERROR counts. Error messages are kept for the failure report."""

    KINDS = {"model": "models", "seed": "seeds", "test": "data tests", "unit_test": "unit tests",
             "snapshot": "snapshots"}

    # the info-level events dbt prints once per node it finished or skipped (its stdout shows no
    # debug events, NodeFinished among them)
    RESULTS = {"LogModelResult", "LogSeedResult", "LogTestResult", "LogSnapshotResult", "LogNodeResult",
               "LogNodeNoOpResult", "LogFunctionResult", "SkippingDetails", "LogSkipBecauseError"}

    def __init__(self, **kw):
        super().__init__("dbt", **kw)
        self.total = 0
        self.done = 0
        self.by_kind: dict[str, int] = {}
        self.stats: dict = {}
        self.errors: list[str] = []

    def event(self, raw: dict) -> None:
        info, data = raw.get("info", {}), raw.get("data", {})
        name = info.get("name")
        if info.get("level") == "error" and info.get("msg"):
            self.errors.append(str(info["msg"]))
        if isinstance(data.get("total"), int) and data["total"] > self.total:
            self.total = data["total"]
        if name in self.RESULTS:
            node = data.get("node_info") or {}
            kind = node.get("resource_type") or data.get("resource_type") or "node"
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
            self.done += 1
            n = max(self.total, self.done)
            if self.done < n:
                self.update(self.done, n, node.get("node_name", ""))
        elif name == "StatsLine":
            self.stats = data.get("stats", {})

    def kinds(self) -> str:
        order = list(self.KINDS)
        return ", ".join(f"{v} {self.KINDS.get(k, k)}" for k, v in sorted(
            self.by_kind.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])))

    def finish(self) -> None:
        n = max(self.total, self.done)
        s = self.stats
        counts = (f"; PASS={s.get('pass', 0)} WARN={s.get('warn', 0)} ERROR={s.get('error', 0)} "
                  f"SKIP={s.get('skip', 0)}") if s else ""
        if n == 0:
            self.end()
            return
        self.update(self.done, n, f"{self.kinds() or 'nothing'}{counts} ({time.perf_counter() - self.start:.1f} s)",
                    final=True)
