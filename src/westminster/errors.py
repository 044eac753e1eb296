"""Errors with a code, what happened, the likely cause and the fix (spaCy's habit)."""

from __future__ import annotations


class WestminsterError(Exception):
    """Base error: carries a stable code and a plain-language message naming the input."""

    code = "W000"

    def __init__(self, message: str, *, subject: str | None = None, fix: str | None = None):
        self.message = message
        self.subject = subject
        self.fix = fix
        super().__init__(self.render())

    def render(self) -> str:
        """One line: `[code] subject: message (fix)`."""
        head = f"{self.subject}: " if self.subject else ""
        tail = f" ({self.fix})" if self.fix else ""
        return f"[{self.code}] {head}{self.message}{tail}"


class InputError(WestminsterError):
    """The input cannot be read or is not an article: missing, empty, binary, too large."""

    code = "W100"


class FetchError(WestminsterError):
    """A URL could not be fetched (unreachable, refused, HTTP error)."""

    code = "W110"


class ExtractionError(WestminsterError):
    """A page was read but holds no article text."""

    code = "W120"


class ModelError(WestminsterError):
    """The spaCy model cannot be loaded."""

    code = "W200"


class AnalysisError(WestminsterError):
    """An article could not be analysed (too long for the model, internal failure)."""

    code = "W210"


class DataError(WestminsterError):
    """A bundled or refreshed data table is malformed."""

    code = "W300"


class DatasetError(WestminsterError):
    """An evaluation dataset is missing or not in the expected format."""

    code = "W400"
