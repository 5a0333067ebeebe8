"""The engine's work per page: speed against a bare Kiwi pass, and what Kiwi is asked to read.

    python benchmarks/engine.py ../shared/bench/dev ../shared/bench/news-dev --pages 20
    python benchmarks/engine.py ../shared/bench/dev --unspaced --pages 10   # spaces removed

For each page, interleaved in one process (the order alternates page by page): one bare
`Kiwi.analyze` of each blank-line-separated block (the reference), then `Corrector.correct` on a
warmed-up corrector whose score cache is emptied first (a new archive's first page). Printed:

- the speed ratio (reference CPU seconds / kocorrect CPU seconds over all pages; 0.1x means
  kocorrect takes ten times as long as one plain analysis of the same text);
- Kiwi calls per page, whole-text analyses per block, and characters Kiwi reads per input
  character (every text handed to `Kiwi.analyze`/`Kiwi.tokenize` counted), and the share of
  kocorrect's CPU spent inside those calls;
- with `--unspaced`, the same pages with all whitespace removed, and time per character of the
  unspaced page against the page as printed; peak RSS of the process.
"""

from __future__ import annotations

import argparse
import resource
import sys
from collections.abc import Sequence
from pathlib import Path


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, help="bench folders of NAME.ocr.txt")
    parser.add_argument("--pages", type=int, default=20, help="pages per folder (20)")
    parser.add_argument(
        "--unspaced", action="store_true", help="also run each page with its whitespace removed"
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="also run '탠' * 5000 and a 1 MB unspaced line made of the pages",
    )
    return parser.parse_args(argv)


class KiwiCounter:
    """Counts what a Kiwi instance is asked to read (calls, texts, characters)."""

    def __init__(self, kiwi: object) -> None:
        self.calls = 0
        self.texts = 0
        self.chars = 0
        self.cpu = 0.0  # CPU seconds spent inside the calls
        for name in ("analyze", "tokenize"):
            original = getattr(kiwi, name)
            setattr(kiwi, name, self._wrap(original))

    def _wrap(self, method):  # type: ignore[no-untyped-def]
        def counted(text, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.calls += 1
            start = _cpu()
            try:
                if isinstance(text, str):
                    self.texts += 1
                    self.chars += len(text)
                    return method(text, *args, **kwargs)
                texts = list(text)
                self.texts += len(texts)
                self.chars += sum(len(t) for t in texts)
                return list(method(texts, *args, **kwargs))  # a batch's results come lazily
            finally:
                self.cpu += _cpu() - start

        return counted

    def reset(self) -> None:
        self.calls = self.texts = self.chars = 0
        self.cpu = 0.0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _blocks(text: str) -> list[str]:
    return [b for b in text.split("\n\n") if b.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from kocorrect import Corrector
    from kocorrect.analysis import shared_kiwi

    pages: list[tuple[str, str]] = []
    for folder in args.folders:
        found = sorted(folder.glob("*.ocr.txt"))[: args.pages]
        if not found:
            print(f"error: no *.ocr.txt pages in {folder}", file=sys.stderr)
            return 2
        pages += [(f"{folder.name}/{p.name}", p.read_text(encoding="utf-8")) for p in found]

    reference = shared_kiwi(1)  # the corrector's own Kiwi: one model in memory
    reference.analyze("준비")
    # The same Kiwi object, its method taken before the counter wraps it: the reference pass is
    # neither counted nor slowed by the counting.
    bare_analyze = reference.analyze
    corrector = Corrector()
    corrector.warm_up()
    counter = KiwiCounter(corrector.lm.kiwi)

    def reference_pass(text: str) -> float:
        start = _cpu()
        for block in _blocks(text):
            bare_analyze(block, top_n=1)
        return _cpu() - start

    def kocorrect_pass(text: str) -> tuple[float, int]:
        """(CPU seconds, characters the page analysis read)."""
        corrector.lm.clear_cache()
        counter.reset()
        before = corrector.lm.analysed_chars
        start = _cpu()
        corrector.correct(text)
        return _cpu() - start, corrector.lm.analysed_chars - before

    def report(label: str, texts: list[tuple[str, str]]) -> dict[str, float]:
        ref_total = own_total = kiwi_cpu = 0.0
        calls = chars_read = chars = analysed = 0
        for index, (_name, text) in enumerate(texts):
            if index % 2:  # alternate which side runs first
                own, read = kocorrect_pass(text)
                ref = reference_pass(text)
            else:
                ref = reference_pass(text)
                own, read = kocorrect_pass(text)
            ref_total += ref
            own_total += own
            calls += counter.calls
            kiwi_cpu += counter.cpu
            chars_read += counter.chars
            chars += len(text)
            analysed += read
        ratio = ref_total / own_total if own_total else float("inf")
        print(
            f"{label}: {len(texts)} pages, {chars:,} chars; kocorrect {own_total:.2f} CPU s "
            f"({chars / max(own_total, 1e-9):,.0f} chars/s), bare Kiwi {ref_total:.2f} s; "
            f"speed ratio {ratio:.3f}x (target >= 0.1); Kiwi calls/page {calls / len(texts):.1f}; "
            f"Kiwi chars per input char {chars_read / chars:.2f}; page analyses per block "
            f"{analysed / chars:.2f} (characters the page analysis read per input character: "
            f"1.00 = each sentence once, more = sentences read again after a repair); "
            f"inside Kiwi {kiwi_cpu / max(own_total, 1e-9):.0%} of kocorrect's CPU"
        )
        return {"own": own_total, "chars": chars, "ratio": ratio}

    printed = report("as printed", pages)
    if args.unspaced:
        unspaced = [(n, "".join(t.split())) for n, t in pages]
        squeezed = report("unspaced", unspaced)
        per_char = (squeezed["own"] / squeezed["chars"]) / (printed["own"] / printed["chars"])
        print(f"unspaced time per char / printed time per char: {per_char:.2f} (target <= 3)")
    if args.synthetic:
        joined = "".join("".join(t.split()) for _, t in pages)
        line = (joined * (1_000_000 // max(1, len(joined)) + 1))[:1_000_000]
        for label, text in (("'탠' * 5000", "탠" * 5000), ("1 MB unspaced line", line)):
            corrector.lm.clear_cache()
            counter.reset()
            start = _cpu()
            corrector.correct_large(text)
            own = _cpu() - start
            per_char = (own / len(text)) / (printed["own"] / printed["chars"])
            print(
                f"{label}: {len(text):,} chars in {own:.1f} CPU s; time per char "
                f"{per_char:.2f}x the printed pages'; Kiwi chars per char "
                f"{counter.chars / len(text):.2f}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB (target <= 1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
