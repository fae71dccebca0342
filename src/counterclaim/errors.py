"""The error catalogue: one class per error a user can hit.

Every error derives from :class:`CounterclaimError`; the CLI prints ``str(err)`` on
one line (prefixed by the input it concerns, when there is one) and exits non-zero.
Each class has a stable ``code`` so logs and the API can name it.
"""
from __future__ import annotations

__all__ = [
    "CounterclaimError", "SettingsError", "InputError", "EmptyInput", "BinaryInput",
    "InputTooLarge", "UnsupportedFormat", "MalformedRecord", "FetchError", "PrivateAddressError",
    "ConflictFileError", "UnknownConflict", "NotEnglish", "StorageError", "NotFound",
    "GazetteerError", "BatchError", "DataFileError",
]


class CounterclaimError(Exception):
    """Base class: an expected failure with a one-line, user-facing message."""

    code = "E000"

    def __init__(self, message: str, *, source: str | None = None):
        super().__init__(message)
        self.source = source

    def one_line(self) -> str:
        """The message as the CLI prints it: ``source: message``, on one line."""
        msg = " ".join(str(self).split())
        return f"{self.source}: {msg}" if self.source else msg


class SettingsError(CounterclaimError):
    """A setting (environment variable or option) has an invalid value."""
    code = "E001"


class InputError(CounterclaimError):
    """An input could not be read as an article."""
    code = "E100"


class EmptyInput(InputError):
    """The input holds no text."""
    code = "E101"


class BinaryInput(InputError):
    """The input is binary, not text, HTML or an archive we read."""
    code = "E102"


class InputTooLarge(InputError):
    """The input is larger than the configured limit."""
    code = "E103"


class UnsupportedFormat(InputError):
    """The input's format is not one counterclaim reads."""
    code = "E104"


class MalformedRecord(InputError):
    """One record of a multi-record input (JSONL line, WARC record, feed entry) is broken."""
    code = "E105"


class FetchError(InputError):
    """A URL could not be fetched (network error, HTTP error status, too large, too slow)."""
    code = "E110"


class PrivateAddressError(FetchError):
    """A URL resolves to a loopback, private or link-local address and that is not allowed."""
    code = "E111"


class NotEnglish(InputError):
    """The article is not in English; claim extraction skips it."""
    code = "E120"


class ConflictFileError(CounterclaimError):
    """A conflict dictionary (YAML) is invalid: names the file, the field and the problem."""
    code = "E200"


class UnknownConflict(CounterclaimError):
    """No conflict dictionary has the requested id."""
    code = "E201"


class StorageError(CounterclaimError):
    """The database could not be opened, migrated or written."""
    code = "E300"


class NotFound(CounterclaimError):
    """A requested article, claim or cluster does not exist."""
    code = "E301"


class GazetteerError(CounterclaimError):
    """The gazetteer could not be built, loaded or imported."""
    code = "E400"


class BatchError(CounterclaimError):
    """The Spark batch job could not run (missing extra, bad input path, job failure)."""
    code = "E500"


class ReportError(CounterclaimError):
    """The situation report could not be written (output directory not writable)."""
    code = "E600"


__all__.append("ReportError")


class DataFileError(CounterclaimError):
    """A bundled or user data file (boilerplate patterns, stopwords) is invalid: names the file and the problem."""
    code = "E002"


class ProcessingError(InputError):
    """A pipeline stage failed unexpectedly on one input (a bug); the run goes on without it."""
    code = "E130"


__all__.append("ProcessingError")
