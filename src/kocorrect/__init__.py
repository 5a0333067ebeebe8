"""kocorrect: Korean OCR clean-up and typo correction that explains every change.

>>> import kocorrect
>>> kocorrect.apply_edits("abc", [])
'abc'
"""

from __future__ import annotations

from .config import Config
from .errors import ConfigError, DataFileError, InputError, KocorrectError
from .io import read_text
from .pipeline import Corrector, correct
from .types import Correction, Edit, Flag, apply_edits, restore_original

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Correction",
    "Corrector",
    "DataFileError",
    "Edit",
    "Flag",
    "InputError",
    "KocorrectError",
    "__version__",
    "apply_edits",
    "correct",
    "read_text",
    "restore_original",
]
