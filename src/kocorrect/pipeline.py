"""The Corrector: runs the stages in order and expresses everything against the caller's input.

Data flows one way, each stage a pure function of its input text returning edits on it:

1. normalize — code points (NFC, loose jamo, look-alike punctuation);
2. layout — words broken across lines and columns rejoined (before the misread stage, so a
   broken word is corrected whole);
3. the page analysis (`analysis.PageAnalysis`): Kiwi reads each sentence once; names and the
   misread gate read the same analysis;
4. names — person names protected and flagged;
5. misreads — repairs, with their own rounds near the latest repairs;
6. revisit — the one step that looks again at text the repairs changed: a line break beside a
   repaired word is decided again (제ㅅ|하여야 -> 제시하여야), and list separators are made
   uniform on the repaired text; a curly quote beside a word the misread stage only suggests
   repairing is held back as a suggestion with it (`normalize.quotes_beside`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace

from . import layout, misreads, names, normalize
from .analysis import LanguageModel, PageAnalysis
from .blocks import BLOCK_CHARS, split_blocks
from .config import Config
from .errors import InputError
from .lexicon import Lexicon
from .spacing import load_spacing_model
from .types import Correction, Edit, Flag, SpanMap, apply_edits, compose_edits, lift_proposals

__all__ = ["Corrector", "correct", "split_blocks"]


class Corrector:
    """Loads lexicons and the language model once; `correct` may then be called from any thread.

    >>> from kocorrect import Config
    >>> Corrector(config=Config(layout=False, correct=False, names=False)).correct("그대로").text
    '그대로'
    """

    def __init__(
        self,
        *,
        config: Config | None = None,
        lm: LanguageModel | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        """`lm` and `lexicon`: a language model and a lexicon already loaded (another
        Corrector's, with other settings) to share instead of loading new ones; the lexicon
        must have been loaded with this config's user lexicons."""
        self.config = config or Config()
        self.lm = lm or LanguageModel()
        # Loaded now, so that a missing optional dependency fails here, not on the first page.
        self.spacer = load_spacing_model() if self.config.spacing_model else None
        self._lexicon: Lexicon | None = lexicon
        self._names: names.NameChecker | None = None
        self._lock = threading.Lock()

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            with self._lock:
                if self._lexicon is None:
                    self._lexicon = Lexicon.load(user_lexicons=self.config.lexicons)
        return self._lexicon

    @property
    def name_checker(self) -> names.NameChecker:
        if self._names is None:
            with self._lock:
                if self._names is None:
                    self._names = names.NameChecker(
                        registry=self.config.registry, date=self.config.date
                    )
        return self._names

    def warm_up(self) -> None:
        """Load everything now rather than on the first page (batch workers call this once)."""
        config = self.config
        if not config.uses_models:
            return  # no stage needs the language model
        if config.correct:
            self.lexicon.prepare()
        _ = self.lm.kiwi
        self.correct("국가 데이터 구축")

    def correct(self, text: str) -> Correction:
        """Correct one page (or any text) and explain every change against `text`."""
        if isinstance(text, (bytes, bytearray)):
            raise InputError(
                "correct() takes str, not bytes: decode the page first, e.g. "
                "data.decode('utf-8'), or use kocorrect.read_text(path)"
            )
        if not isinstance(text, str):
            raise InputError(f"correct() takes str, got {type(text).__name__}")
        config = self.config
        source = text

        # Normalizing reads a few words with the language model (the word before a squeezed
        # colon), but only when a later stage loads it anyway: normalizing alone loads no model.
        reader = self.lm if config.uses_models else None
        applied: list[Edit] = normalize.normalize_text(source, reader) if config.normalize else []
        current = apply_edits(source, applied)

        laid_out_from, layout_edits = current, []
        if config.layout:
            layout_edits = layout.rejoin_broken_words(
                current,
                self.lm,
                keep_lines=config.keep_lines,
                lexicon=self.lexicon,
                spacer=self.spacer,
            )
            applied = compose_edits(source, applied, layout_edits)
            current = apply_edits(source, applied)

        protected: list[tuple[int, int]] = []
        flags: list[Flag] = []
        analysis = PageAnalysis.of(current, self.lm) if config.names or config.correct else None
        if config.names:
            mentions, name_flags = self.name_checker.check(current, self.lm, analysis=analysis)
            protected = [(m.start, m.end) for m in mentions]
            span_map = SpanMap(applied)
            for flag in name_flags:
                start, end = span_map.map(flag.start, flag.end)
                flags.append(replace(flag, start=start, end=end))

        suggestions: list[Edit] = []
        fixes: list[Edit] = []
        if config.correct:
            fixes, proposed = misreads.correct_misreads(
                current,
                lm=self.lm,
                lexicon=self.lexicon,
                protected=protected,
                threshold=config.threshold,
                suggest_threshold=config.suggest_threshold,
                confusions=config.confusions,
                line_ends=layout.line_ends_after(laid_out_from, layout_edits),
                analysis=analysis,
                effort=misreads.EFFORTS[config.effort],
            )
            before = applied
            applied = compose_edits(source, before, fixes)
            suggestions.extend(lift_proposals(source, before, proposed))
        applied = self._revisit(source, applied, fixes, laid_out_from, layout_edits)
        if suggestions:
            applied, held = normalize.quotes_beside(applied, suggestions)
            suggestions.extend(held)

        result_text = apply_edits(source, applied)
        return Correction(
            source=source,
            text=result_text,
            edits=tuple(applied),
            suggestions=tuple(sorted(suggestions, key=lambda e: (e.start, e.end))),
            flags=tuple(sorted(flags, key=lambda f: (f.start, f.end))),
        )

    def _revisit(
        self,
        source: str,
        applied: list[Edit],
        fixes: list[Edit],
        laid_out_from: str,
        layout_edits: list[Edit],
    ) -> list[Edit]:
        """The one step after the repairs: breaks beside repaired words decided again on the
        repaired words (and a period the repaired 다 lost restored), then list separators made
        uniform on the repaired text."""
        config = self.config
        if config.layout and not config.keep_lines and fixes:
            joins = layout.rejoin_beside_repairs(
                laid_out_from, layout_edits, fixes, self.lm, lexicon=self.lexicon
            )
            joins += layout.periods_beside_repairs(laid_out_from, layout_edits, fixes)
            applied = compose_edits(source, applied, sorted(joins, key=lambda e: e.start))
        if config.normalize:
            current = apply_edits(source, applied)
            reader = self.lm if config.uses_models else None
            separators = normalize.uniform_list_separators(current, reader)
            applied = compose_edits(source, applied, separators)
        return applied

    def correct_iter(self, pages: Iterable[str]) -> Iterator[Correction]:
        """Correct pages (or paragraphs) one by one, holding only one in memory at a time."""
        for page in pages:
            yield self.correct(page)

    def correct_large(self, text: str, *, block_chars: int = BLOCK_CHARS) -> Correction:
        """Correct a page of any size block by block (through `correct_iter`), so the stages
        never hold more than about `block_chars` characters; the CLI reads files this way.

        Blocks are cut after a blank line (else a line end, else a space), so a word broken
        exactly at a cut is not rejoined: at a million characters a block, that is rare.
        """
        if len(text) <= block_chars:
            return self.correct(text)
        blocks = split_blocks(text, block_chars)
        edits: list[Edit] = []
        suggestions: list[Edit] = []
        flags: list[Flag] = []
        pieces: list[str] = []
        offset = 0
        for block, result in zip(blocks, self.correct_iter(blocks)):
            edits.extend(
                replace(e, start=e.start + offset, end=e.end + offset) for e in result.edits
            )
            suggestions.extend(
                replace(e, start=e.start + offset, end=e.end + offset) for e in result.suggestions
            )
            flags.extend(
                replace(f, start=f.start + offset, end=f.end + offset) for f in result.flags
            )
            pieces.append(result.text)
            offset += len(block)
        return Correction(
            source=text,
            text="".join(pieces),
            edits=tuple(edits),
            suggestions=tuple(suggestions),
            flags=tuple(flags),
        )


_default: Corrector | None = None
_default_lock = threading.Lock()


def correct(text: str) -> Correction:
    """Correct `text` with a shared default `Corrector` (loaded on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Corrector()
    return _default.correct(text)
