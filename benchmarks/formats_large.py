"""A 300-page ALTO book: how long reading and writing take and how much memory they need.

    python benchmarks/formats_large.py [--pages 300] [PAGE.xml]

The book is one bench page repeated (IDs made unique) inside one ALTO file. Each step runs in a
fresh process and reports its peak resident memory (`ru_maxrss`) beside the size of the file:
reading streams (lxml `iterparse`, each line freed once read), writing copies the memory-mapped
input with the changed words patched in, so neither holds the file twice. The write changes
one word per page (its first, given a character more) and checks that the output reads back
(its peak is taken before that check, which reads the output in the same process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(source: Path, pages: int, target: Path) -> None:
    page = source.read_text(encoding="utf-8")
    head, rest = page.split("<Layout>", 1)
    body, tail = rest.rsplit("</Layout>", 1)
    with open(target, "w", encoding="utf-8") as f:
        f.write(head + "<Layout>")
        for n in range(pages):
            f.write(body.replace('ID="', f'ID="p{n}_'))
        f.write("</Layout>" + tail)


def child(step: str, path: str, out: str) -> None:
    from kocorrect import Correction, Edit, apply_edits
    from kocorrect.formats import read

    started = time.perf_counter()
    doc = read(path)
    read_s = time.perf_counter() - started
    result: dict[str, float | int] = {"words": len(doc.words), "chars": len(doc.text),
                                      "read_s": read_s}  # fmt: skip
    if step == "write":
        firsts = [w for w in doc.words if w.id and w.id.endswith("_string_0")]
        edits = [Edit(w.end, w.end, "", "가", "test", 1.0, "benchmark") for w in firsts]
        correction = Correction(doc.text, apply_edits(doc.text, edits), tuple(edits))
        started = time.perf_counter()
        doc.write(correction, out)
        result["write_s"] = time.perf_counter() - started
        result["edits"] = len(edits)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        del doc
        again = read(out)
        result["reads_back"] = int(again.text == correction.text)
    result.setdefault("peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "bench" / "ocr-formats"
    parser.add_argument("page", nargs="?", default=str(default / "news-dev-page004.xml"))
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--child", nargs=3, metavar=("STEP", "IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.xml"
        build(Path(args.page), args.pages, book)
        size_mb = os.path.getsize(book) / 2**20
        print(f"{args.pages}-page ALTO from {Path(args.page).name}: {size_mb:.1f} MB")
        baseline = subprocess.run(
            [sys.executable, "-c", "import resource, kocorrect.formats; "
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        print(f"  python + kocorrect.formats imported: {float(baseline.stdout):.0f} MB peak")
        for step in ("read", "write"):
            run = subprocess.run(
                [sys.executable, __file__, "--child", step, str(book), str(Path(tmp) / "o.xml")],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            r = json.loads(run.stdout)
            line = (f"  {step:<5}: {r['words']} words, {r['chars']} chars, read {r['read_s']:.1f} s"
                    f", peak {r['peak_mb']:.0f} MB")  # fmt: skip
            if step == "write":
                line += (f", write {r['write_s']:.1f} s ({r['edits']} edits), reads back "
                         f"{'identical' if r['reads_back'] else 'DIFFERENT'}")  # fmt: skip
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
