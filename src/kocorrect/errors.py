"""Exceptions kocorrect raises; each message says what to do next."""

from __future__ import annotations

__all__ = ["ConfigError", "DataFileError", "InputError", "KocorrectError"]


class KocorrectError(Exception):
    """Base of every error kocorrect raises on purpose."""


class InputError(KocorrectError):
    """The text or file given to kocorrect cannot be read as text."""


class ConfigError(KocorrectError):
    """A configuration value is invalid."""


class DataFileError(KocorrectError):
    """A lexicon, confusion table, registry or other data file is malformed or missing.

    The message names the file and, where it can, the line.
    """

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
