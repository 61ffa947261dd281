"""The one error type the extractors raise on bad input."""
from __future__ import annotations

from typing import Optional


class ExtractionError(Exception):
    """Bad input: names the file, the stage and, where known, the line.

    Parsers return records or raise this; any other exception is a bug.
    """

    def __init__(self, source_file: str, stage: str, message: str, line_number: Optional[int] = None):
        self.source_file = source_file
        self.stage = stage
        self.message = message
        self.line_number = line_number
        where = f"{source_file}:{line_number}" if line_number else source_file
        super().__init__(f"{where}: [{stage}] {message}")
