"""Check the shipped domain lexicon: well-formed rows, no duplicates, words Kiwi lacks.

The domain lexicon only earns its place with words the general (Kiwi) lexicon does not know, so
this script reports how many entries Kiwi already has; those are harmless but useless and should
be dropped. It exits 1 on duplicates or on forms that are not Hangul (optionally with digits), and
2 when the file cannot be parsed at all (the error names the line).

    python scripts/check_domain_lexicon.py [--lexicon dictionaries/domain.tsv] [--list-known]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

from kocorrect.errors import DataFileError
from kocorrect.lexicon import (
    LexiconEntry,
    build_general_lexicon,
    general_lexicon_path,
    read_lexicon_tsv,
)

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "dictionaries" / "domain.tsv"
# Hangul first, then Hangul or digits (안전속도5030); no Latin, punctuation or jamo.
_DOMAIN_FORM = re.compile(r"^[가-힣][가-힣0-9]*$")
_SECTION = re.compile(r"^# == (.+) ==$")


def duplicated_forms(entries: list[LexiconEntry]) -> list[str]:
    """Forms listed more than once (whatever their tags): one row per word is the rule."""
    counts = Counter(entry.form for entry in entries)
    return sorted(form for form, count in counts.items() if count > 1)


def malformed_forms(entries: list[LexiconEntry]) -> list[str]:
    """Forms that are not Hangul words (Latin, symbols, stray jamo, leading digits)."""
    return [entry.form for entry in entries if not _DOMAIN_FORM.match(entry.form)]


def section_counts(path: Path) -> dict[str, int]:
    """Entries per `# == section ==` comment, to show the lexicon's coverage at a glance."""
    counts: dict[str, int] = {}
    section = "(before any section)"
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _SECTION.match(line)
        if match:
            section = match.group(1)
        elif line.strip() and not line.startswith("#"):
            counts[section] = counts.get(section, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lexicon", type=Path, default=DEFAULT_PATH, help="lexicon TSV to check")
    parser.add_argument(
        "--list-known", action="store_true", help="print the entries Kiwi already knows"
    )
    args = parser.parse_args(argv)
    try:
        entries = list(read_lexicon_tsv(args.lexicon, source="domain lexicon"))
    except DataFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    tags = Counter(entry.tag for entry in entries)
    tag_summary = ", ".join(f"{tag} {count}" for tag, count in sorted(tags.items()))
    print(f"{args.lexicon.name}: {len(entries)} entries ({tag_summary})")
    for section, count in section_counts(args.lexicon).items():
        print(f"  {count:5d}  {section}")
    return report_problems(entries, list_known=args.list_known)


def report_problems(entries: list[LexiconEntry], *, list_known: bool) -> int:
    """Print duplicates, malformed forms and Kiwi overlap; the exit status for main()."""
    status = 0
    duplicates = duplicated_forms(entries)
    if duplicates:
        print(f"error: {len(duplicates)} duplicated forms: {' '.join(duplicates[:20])}")
        status = 1
    malformed = malformed_forms(entries)
    if malformed:
        print(f"error: {len(malformed)} forms are not Hangul words: {' '.join(malformed[:20])}")
        status = 1
    general = kiwi_forms()
    known = [entry.form for entry in entries if entry.form in general]
    print(f"already in Kiwi's lexicon: {len(known)} (drop them; they add nothing)")
    if list_known and known:
        print("  " + " ".join(known))
    print(f"new to kocorrect: {len(entries) - len(known)}")
    return status


@cache
def kiwi_forms() -> frozenset[str]:
    """Kiwi's content forms as kocorrect's general layer lists them (built once, then cached).

    Read from the general layer alone: `Lexicon.load()` would mix the domain entries in.
    """
    path = general_lexicon_path()
    if not path.is_file():
        build_general_lexicon(path)
    return frozenset(entry.form for entry in read_lexicon_tsv(path, source="general lexicon"))


if __name__ == "__main__":
    sys.exit(main())
