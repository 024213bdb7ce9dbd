"""One exception hierarchy for everything storydiff raises on purpose.

User errors (a bad input, too few articles) carry a one-line message meant for the person who gave
the input; the CLI prints that line and never a traceback. Anything else is a bug.
"""

from __future__ import annotations


class StorydiffError(Exception):
    """Base class of every error storydiff raises on purpose."""


class InputError(StorydiffError):
    """One input could not be turned into an article. The rest of the work goes on without it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class InputNotFound(InputError):
    """The file or directory does not exist."""


class EmptyInput(InputError):
    """The input holds no text at all."""


class BinaryInput(InputError):
    """The input is not text in any encoding we can read (an image, a PDF, an archive...)."""


class InputTooLarge(InputError):
    """The input is over the size cap."""


class NoArticleFound(InputError):
    """The input is text, but no article could be found in it."""


class UnsupportedInput(InputError):
    """The input is of a kind storydiff does not read."""


class FetchError(InputError):
    """A URL could not be fetched: dead host, timeout, HTTP error, wrong content type, blocked address."""


class InvalidArgument(InputError, ValueError):
    """An argument that goes with the inputs is wrong: a date that is no day, more outlets than inputs.

    `source` names the argument (`dates[1]`, `outlets`). Unlike other input errors, it stops the call:
    the caller asked for something that cannot be done as asked."""


class NotEnoughArticles(StorydiffError):
    """Fewer than two different articles remain to compare. The message says why each input was
    left out; `summary` is its first part alone (for a caller that names each input itself), and
    `comparison` holds what was read, skipped and found to be a copy."""

    def __init__(self, message: str, comparison=None, *, summary: str | None = None) -> None:
        super().__init__(message)
        self.comparison = comparison
        self.summary = summary or message


class ModelError(StorydiffError):
    """A bundled model is missing or damaged."""


class SchemaError(StorydiffError, ValueError):
    """A JSON document that is not a storydiff comparison this version can read."""


class StoreError(StorydiffError):
    """A corpus store that cannot be used: not a storydiff store, made by a newer storydiff,
    damaged, or not writable. The message names the file and the reason."""


class NotFound(StorydiffError, LookupError):
    """A story or article id that the store does not hold."""
