"""Fuzz the whole pipeline with hypothesis and a large example budget; print how many inputs ran.

The normal test suite runs the same properties with a few dozen examples; this script runs
thousands, against the normalize stage alone (fast) and the whole pipeline (slower), and
stops at the first input that breaks an invariant, printing it shrunk to a minimal example.

    python scripts/fuzz.py --examples 5000 --pipeline-examples 500
    python scripts/fuzz.py --config fast      # pipeline without the misread and name stages

Exit status 0 when every input kept the invariants, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_properties import any_text, assert_invariants

from kocorrect import Config, Corrector, apply_edits, restore_original
from kocorrect.normalize import normalize_text

CONFIGS = {
    "full": Config(),
    "fast": Config(correct=False, names=False),
}


def fuzz_normalize(examples: int, tried: list[int]) -> None:
    """Run the normalize properties on `examples` inputs, counting them in `tried`."""

    @settings(max_examples=examples, deadline=None, database=None)
    @given(any_text)
    def check(text: str) -> None:
        tried[0] += 1
        edits = normalize_text(text)
        output = apply_edits(text, edits)
        assert restore_original(output, edits) == text
        assert normalize_text(output) == [], "second normalize pass changed the text"
        output.encode("utf-8")

    check()


def fuzz_pipeline(examples: int, config: Config, tried: list[int]) -> None:
    """Run the whole-pipeline invariants on `examples` inputs, counting them in `tried`."""
    corrector = Corrector(config=config)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(any_text)
    def check(text: str) -> None:
        tried[0] += 1
        result = corrector.correct(text)
        assert_invariants(text, result)
        assert corrector.correct(result.text).edits == (), "second pass changed the text"

    check()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000, help="normalize-stage inputs")
    parser.add_argument("--pipeline-examples", type=int, default=500, help="pipeline inputs")
    parser.add_argument("--config", choices=sorted(CONFIGS), default="full")
    args = parser.parse_args(argv)

    failed = False
    runs = (
        ("normalize", lambda tried: fuzz_normalize(args.examples, tried)),
        (
            f"pipeline ({args.config})",
            lambda tried: fuzz_pipeline(args.pipeline_examples, CONFIGS[args.config], tried),
        ),
    )
    for name, run in runs:
        tried = [0]
        start = time.perf_counter()
        status = "ok"
        try:
            run(tried)
        except Exception:
            traceback.print_exc()
            status, failed = "FAILED", True
        seconds = time.perf_counter() - start
        print(f"{name}: {status}, {tried[0]} inputs tried in {seconds:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
