"""Command line: a thin click layer over the library (being extended: see the CLI issue)."""

from __future__ import annotations

import sys

import click

from .pipeline import Corrector


@click.group()
def main() -> None:
    """kocorrect: Korean OCR clean-up that explains every change."""


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
def fix(file: click.utils.LazyFile) -> None:
    """Correct one page and print it.

    Example: kocorrect fix corpus/seed_page.ocr.txt
    """
    result = Corrector().correct(file.read())
    sys.stdout.write(result.text)


if __name__ == "__main__":
    main()
