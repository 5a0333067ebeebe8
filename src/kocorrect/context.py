"""Old name of `kocorrect.analysis` (kept so scripts written against it keep working)."""

from .analysis import OOV_MORPHEME_MAX_ID, LanguageModel, NounSpan

__all__ = ["OOV_MORPHEME_MAX_ID", "LanguageModel", "NounSpan"]
