"""Time and peak memory of kocorrect on large inputs: a 1 MB line, a 10 MB page, a 50 MB stream.

Each measurement runs in a fresh Python process, so the peak resident set size it reports
(`ru_maxrss`, minus the process's size once the models are loaded) belongs to that input
alone. Inputs are built by repeating the sample page `corpus/seed_page.ocr.txt`; sizes are
UTF-8 bytes (Korean text is about 3 bytes a character).

    python scripts/measure_sizes.py                       # every case, fast configuration
    python scripts/measure_sizes.py --config full --cases line1mb scaling
    python scripts/measure_sizes.py --cases stream50mb --config fast

Configurations: `full` (every stage), `fast` (normalize + layout: Config(correct=False,
names=False)), `normalize` (normalize only). The `scaling` case times 0.25, 0.5, 1 and 2 MB
pages to show whether time grows linearly with size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed_page.ocr.txt"
MB = 1_000_000
CASES = ("line1mb", "page10mb", "stream50mb", "nfd1mb", "scaling")


def _config(name: str):
    from kocorrect import Config

    return {
        "full": Config(),
        "fast": Config(correct=False, names=False),
        "normalize": Config(layout=False, names=False, correct=False),
    }[name]


def _seed() -> str:
    return SEED.read_text(encoding="utf-8")


def repeated(text: str, size: int) -> str:
    """`text` repeated (and cut) to about `size` UTF-8 bytes."""
    per_char = len(text.encode("utf-8")) / len(text)
    chars = int(size / per_char)
    return (text * (chars // len(text) + 1))[:chars]


def paragraphs(size: int) -> Iterator[str]:
    """Paragraphs of the seed page, cycled until `size` UTF-8 bytes have been produced."""
    pieces = [p for p in _seed().split("\n\n") if p.strip()]
    produced = 0
    while produced < size:
        for piece in pieces:
            produced += len(piece.encode("utf-8"))
            yield piece
            if produced >= size:
                return


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure_one(case: str, config_name: str, size: int) -> dict[str, object]:
    """Run one case in this process and return its numbers."""
    import unicodedata

    from kocorrect import Corrector

    corrector = Corrector(config=_config(config_name))
    corrector.warm_up() if config_name != "normalize" else corrector.correct("국가")
    base = _rss_mb()
    start = time.perf_counter()
    edits = 0
    chars = 0
    if case == "stream50mb":
        for result in corrector.correct_iter(paragraphs(size)):
            edits += len(result.edits)
            chars += len(result.source)
    else:
        text = repeated(_seed(), size)
        if case == "line1mb":
            text = text.replace("\n", " ")
        if case == "nfd1mb":
            text = unicodedata.normalize("NFD", text)
        chars = len(text)
        edits = len(corrector.correct(text).edits)
    seconds = time.perf_counter() - start
    return {
        "case": case,
        "config": config_name,
        "bytes": size,
        "chars": chars,
        "edits": edits,
        "seconds": round(seconds, 2),
        "chars_per_s": round(chars / seconds) if seconds else None,
        "peak_rss_mb": round(_rss_mb(), 1),
        "peak_rss_over_loaded_mb": round(_rss_mb() - base, 1),
    }


def _sizes(case: str) -> list[int]:
    return {
        "line1mb": [MB],
        "page10mb": [10 * MB],
        "stream50mb": [50 * MB],
        "nfd1mb": [MB],
        "scaling": [MB // 4, MB // 2, MB, 2 * MB],
    }[case]


def _run_child(case: str, config: str, size: int, timeout: float) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", case, config, str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"case": case, "config": config, "bytes": size, "error": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        return {"case": case, "config": config, "bytes": size, "error": done.stderr[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        case, config, size = argv[1], argv[2], int(argv[3])
        print(json.dumps(measure_one(case, config, size)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--config", choices=("full", "fast", "normalize"), default="fast")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per measurement")
    args = parser.parse_args(argv)
    for case in args.cases:
        for size in _sizes(case):
            row = _run_child(case, args.config, size, args.timeout)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
