"""The engine's work per page: speed against a bare Kiwi pass, and what Kiwi is asked to read.

    python benchmarks/engine.py ../shared/bench/dev ../shared/bench/news-dev --pages 20
    python benchmarks/engine.py ../shared/bench/dev --unspaced --pages 10   # spaces removed
    python benchmarks/engine.py ../shared/bench/dev --effort fast           # the archive budget

For each page, interleaved in one process (the order alternates page by page): one bare
`Kiwi.analyze` of each blank-line-separated block (the reference), then `Corrector.correct` on a
corrector set up as a batch worker sets it up (`batch.ready_corrector`: loaded, warmed up, its
objects frozen out of the garbage collector's walks), its score cache emptied first (a new
archive's first page). Printed:

- the speed ratio (reference CPU seconds / kocorrect CPU seconds over all pages; 0.1x means
  kocorrect takes ten times as long as one plain analysis of the same text);
- Kiwi calls per page (texts handed to Kiwi), the characters the page analysis of each
  `correct()` reads and those the analyses of the repaired text re-read, and characters Kiwi
  reads per input character (the language model's own count of every text it hands to
  `Kiwi.analyze` and `Kiwi.tokenize`; `tests/test_bounds.py` checks that count against a counter
  wrapped around Kiwi); `python benchmarks/profile_pipeline.py` says how much of the time is
  spent in Kiwi;
- with `--unspaced`, the same pages with all whitespace removed, and time per character of the
  unspaced page against the page as printed, overall and page by page (`--repeat N` times each
  page N times from the same state, the lexicon's memos of earlier pages' searches emptied as
  well, and counts each side's least CPU: one timing of a page is noisy); peak RSS of the
  process.
"""

from __future__ import annotations

import argparse
import resource
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, help="bench folders of NAME.ocr.txt")
    parser.add_argument("--pages", type=int, default=20, help="pages per folder (20)")
    parser.add_argument(
        "--unspaced", action="store_true", help="also run each page with its whitespace removed"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time each page this many times from the same state (the lexicon's memos emptied "
        "too), each side's least CPU counting (1): steadier page-by-page ratios",
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="also run '탠' * 5000, one token of '가나다라' * 20000 and a 1 MB unspaced line "
        "made of the pages",
    )
    parser.add_argument(
        "--effort",
        default="thorough",
        help="the misread search's budget, Config(effort=...): thorough (default) or fast",
    )
    return parser.parse_args(argv)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _blocks(text: str) -> list[str]:
    return [b for b in text.split("\n\n") if b.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from kocorrect import Config
    from kocorrect.analysis import PageAnalysis, shared_kiwi
    from kocorrect.batch import ready_corrector

    pages: list[tuple[str, str]] = []
    for folder in args.folders:
        found = sorted(folder.glob("*.ocr.txt"))[: args.pages]
        if not found:
            print(f"error: no *.ocr.txt pages in {folder}", file=sys.stderr)
            return 2
        pages += [(f"{folder.name}/{p.name}", p.read_text(encoding="utf-8")) for p in found]

    reference = shared_kiwi(1)  # the corrector's own Kiwi: one model in memory
    reference.analyze("준비")
    bare_analyze = reference.analyze
    # Set up as every batch worker process sets up its corrector (models loaded, then out of the
    # garbage collector's sight): the archive's pages are corrected there.
    corrector = ready_corrector(Config(effort=args.effort), worker_process=True)
    lm = corrector.lm
    # Characters each page analysis of a correction reads (the first is the page's own; the
    # others are of the text with repairs made, and read only the sentences those changed).
    page_reads: list[int] = []
    whole_page_analysis = PageAnalysis.of.__func__  # type: ignore[attr-defined]

    def counted_analysis(cls, text, lm_, **kwargs):  # type: ignore[no-untyped-def]
        before = lm_.analysed_chars
        result = whole_page_analysis(cls, text, lm_, **kwargs)
        page_reads.append(lm_.analysed_chars - before)
        return result

    PageAnalysis.of = classmethod(counted_analysis)  # type: ignore[method-assign,assignment]

    def reference_pass(text: str) -> float:
        start = _cpu()
        for block in _blocks(text):
            bare_analyze(block, top_n=1)
        return _cpu() - start

    def kocorrect_pass(text: str) -> tuple[float, list[int], int, int]:
        """(CPU seconds, characters each page analysis read, texts and characters Kiwi was
        handed). With --repeat, the lexicon's memos of word searches are emptied too, so that
        every timing of a page starts from the same state (a later one would find its own
        searches remembered)."""
        lm.clear_cache()
        if args.repeat > 1:
            lexicon = corrector.lexicon
            for memo in (lexicon.cover_cache, lexicon.variant_cache, lexicon.conjugation_cache):
                memo.clear()
        before = (lm.kiwi_texts, lm.kiwi_chars)
        page_reads.clear()
        start = _cpu()
        corrector.correct(text)
        own = _cpu() - start
        return (
            own,
            list(page_reads),
            lm.kiwi_texts - before[0],
            lm.kiwi_chars - before[1],
        )

    def report(label: str, texts: list[tuple[str, str]]) -> dict[str, Any]:
        ref_total = own_total = 0.0
        calls = chars_read = chars = whole = first_read = reread = analyses = 0
        per_page: list[float] = []  # CPU seconds per character of each page
        for index, (_name, text) in enumerate(texts):
            ref = own = float("inf")
            for _ in range(max(1, args.repeat)):
                if index % 2:  # alternate which side runs first
                    took, read, handed, handed_chars = kocorrect_pass(text)
                    ref = min(ref, reference_pass(text))
                else:
                    ref = min(ref, reference_pass(text))
                    took, read, handed, handed_chars = kocorrect_pass(text)
                own = min(own, took)
            ref_total += ref
            own_total += own
            per_page.append(own / max(1, len(text)))
            calls += handed
            chars_read += handed_chars
            chars += len(text)
            whole += 1 if read else 0
            first_read += read[0] if read else 0
            reread += sum(read[1:])
            analyses += len(read)
        ratio = ref_total / own_total if own_total else float("inf")
        print(
            f"{label}: {len(texts)} pages, {chars:,} chars; kocorrect {own_total:.2f} CPU s "
            f"({chars / max(own_total, 1e-9):,.0f} chars/s), bare Kiwi {ref_total:.2f} s; "
            f"speed ratio {ratio:.3f}x (target >= 0.1); Kiwi calls/page {calls / len(texts):.1f}; "
            f"Kiwi chars per input char {chars_read / chars:.2f}; page analysis: the first of "
            f"each correct() reads {first_read / chars:.2f} characters per input character "
            f"(1.00 = each sentence once), then {analyses - whole} analyses of repaired text "
            f"re-read {reread / chars:.2f} (only the sentences the repairs changed)"
        )
        return {"own": own_total, "chars": chars, "ratio": ratio, "per_page": per_page}

    printed = report("as printed", pages)
    if args.unspaced:
        unspaced = [(n, "".join(t.split())) for n, t in pages]
        squeezed = report("unspaced", unspaced)
        per_char = (squeezed["own"] / squeezed["chars"]) / (printed["own"] / printed["chars"])
        print(f"unspaced time per char / printed time per char: {per_char:.2f} (target <= 3)")
        pages_ratio = sorted(
            (u / p, name)
            for u, p, (name, _) in zip(squeezed["per_page"], printed["per_page"], pages)
        )
        print(
            f"  page by page: median {pages_ratio[len(pages_ratio) // 2][0]:.2f}, "
            f"highest {pages_ratio[-1][0]:.2f} ({pages_ratio[-1][1]}; target <= 3 on every page)"
        )
    if args.synthetic:
        joined = "".join("".join(t.split()) for _, t in pages)
        line = (joined * (1_000_000 // max(1, len(joined)) + 1))[:1_000_000]
        shapes = (
            ("'탠' * 5000", "탠" * 5000),
            ("'가나다라' * 20000, one token", "가나다라" * 20000),
            ("1 MB unspaced line", line),
        )
        for label, text in shapes:
            lm.clear_cache()
            before = lm.kiwi_chars
            start = _cpu()
            corrector.correct_large(text)
            own = _cpu() - start
            per_char = (own / len(text)) / (printed["own"] / printed["chars"])
            print(
                f"{label}: {len(text):,} chars in {own:.1f} CPU s; time per char "
                f"{per_char:.2f}x the printed pages'; Kiwi chars per char "
                f"{(lm.kiwi_chars - before) / len(text):.2f}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB (target <= 1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
