"""Command line: a thin click layer over the library (which never imports click).

Every command reads pages with `kocorrect.io`, corrects them with a `Corrector` built from the
shared options, and prints what `kocorrect.render` (or `evaluate`, `batch`, `review`) returns.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .config import Config
from .errors import ConfigError, InputError, KocorrectError
from .io import PageFile, decode_bytes, read_page, read_text, sha256_hex, write_text_atomic
from .pipeline import Corrector
from .render import correction_json, edit_log, parse_edit_log, word_diff
from .types import Correction

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_USAGE = 2
EXIT_FAILED = 3

F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """Turns the library's errors into one-line messages and documented exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
        except KocorrectError as exc:
            click.echo(f"kocorrect: error: {exc}", err=True)
            ctx.exit(EXIT_FAILED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kocorrect")
def main() -> None:
    """kocorrect: Korean OCR clean-up that explains every change.

    \b
    Example:
      kocorrect fix corpus/seed_page.ocr.txt -o page.txt --edits page.edits.jsonl
      kocorrect diff corpus/seed_page.ocr.txt

    \b
    Exit codes:
      0  success
      1  changes found (fix --check; with --strict, flags too)
      2  usage error (a wrong option or argument)
      3  an input, data or output file could not be read or written
         (batch: at least one page failed; the others are done)
    """


# ------------------------------------------------------------------------ shared options ----

_CONFIG_OPTIONS = [
    click.option(
        "--lexicon", "lexicons", multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A user lexicon (TSV) added to the shipped ones; repeatable.",
    ),
    click.option(
        "--registry", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Name registry (TSV) of people the paper knows; without one every name is flagged.",
    ),
    click.option(
        "--date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
        help="Publication date of the page(s): only registry entries valid that day count.",
    ),
    click.option(
        "--threshold", type=click.FloatRange(0.0, 1.0), default=None,
        help=f"Confidence at or above which a change is applied (default {Config().threshold}); "
        "below it the change is only suggested.",
    ),
    click.option("--no-layout", is_flag=True, help="Do not rejoin broken words or lines."),
    click.option("--no-names", is_flag=True, help="Do not detect (protect, flag) person names."),
    click.option("--no-correct", is_flag=True, help="Do not repair misread words."),
    click.option("--keep-lines", is_flag=True, help="Keep the page's line breaks."),
]  # fmt: skip


def _build_config(
    *, lexicons: tuple[Path, ...], registry: Path | None, date: dt.datetime | None,
    threshold: float | None, no_layout: bool, no_names: bool, no_correct: bool, keep_lines: bool,
) -> Config:  # fmt: skip
    defaults = Config()
    extra: dict[str, Any] = {}
    if threshold is not None:
        extra["threshold"] = threshold
        extra["suggest_threshold"] = min(defaults.suggest_threshold, threshold)
    return Config(
        lexicons=lexicons,
        registry=registry,
        date=date.date() if date else None,
        layout=not no_layout,
        names=not no_names,
        correct=not no_correct,
        keep_lines=keep_lines,
        **extra,
    )


def config_options(func: F) -> F:
    """Add the options shared by fix, batch, diff and review; pass them on as `config`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        names = ("lexicons", "registry", "date", "threshold", "no_layout", "no_names",
                 "no_correct", "keep_lines")  # fmt: skip
        settings = {name: kwargs.pop(name) for name in names}
        kwargs["config"] = _build_config(**settings)
        return func(*args, **kwargs)

    for option in reversed(_CONFIG_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


_encoding_option = click.option(
    "--encoding", default=None, metavar="NAME",
    help="Decode input as NAME (e.g. cp949) instead of trying UTF-8, UTF-16 (BOM), CP949.",
)  # fmt: skip


# ------------------------------------------------------------------------------- helpers ----


def _read_input(path: str, encoding: str | None) -> PageFile:
    if path == "-":
        data = sys.stdin.buffer.read()
        text = decode_bytes(data, source="<stdin>", encoding=encoding)
        return PageFile(path="-", text=text, sha256=sha256_hex(data), encoding=encoding or "")
    return read_page(path, encoding)


def _same_file(a: str, b: str) -> bool:
    if a == "-" or b == "-":
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _refuse_overwrite(source: str, **outputs: str | None) -> None:
    for option, target in outputs.items():
        if target is not None and _same_file(source, target):
            raise click.UsageError(
                f"{option} {target} is the input file; kocorrect never writes over its input: "
                "choose another output path"
            )


def _emit(text: str) -> None:
    """Write to stdout as UTF-8 whatever the locale (outputs are always UTF-8)."""
    stream = sys.stdout.buffer
    stream.write(text.encode("utf-8"))
    stream.flush()


def _write(path: str | None, text: str) -> None:
    if path is None or path == "-":
        _emit(text)
        return
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot write ({exc.strerror or exc}); check the folder exists and is writable"
        ) from None


def _input_name(page: PageFile) -> str:
    return "<stdin>" if page.path == "-" else page.path


def _use_color(choice: bool | None) -> bool:
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _replay(page: PageFile, correction: Correction, log_path: str) -> Correction:
    from .review import apply_decisions, parse_decisions

    logged, decisions = parse_decisions(read_text(log_path), source=log_path)
    if logged.get("sha256") != page.sha256:
        raise InputError(
            f"{log_path}: these decisions were made on another version of {_input_name(page)} "
            "(its SHA-256 differs); review the page again with `kocorrect review`"
        )
    return apply_decisions(correction, decisions)


# -------------------------------------------------------------------------------- fix ----


@main.command()
@click.argument("file", default="-", metavar="[FILE|-]")
@click.option("-o", "--output", "out", metavar="OUT", help="Write the corrected text here "
              "(default: stdout). Never the input file.")  # fmt: skip
@click.option("--edits", metavar="PATH", help="Write the edit log (JSONL) here.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--strict", is_flag=True, help="With --check: exit 1 also when anything is flagged.")
@click.option("--decisions", metavar="LOG", help="Replay a `kocorrect review` decisions log.")
@_encoding_option
@config_options
def fix(
    file: str, out: str | None, edits: str | None, as_json: bool, check: bool, strict: bool,
    decisions: str | None, encoding: str | None, config: Config,
) -> None:  # fmt: skip
    """Correct one page (FILE, or stdin by default) and write the corrected text.

    \b
    Example:
      kocorrect fix corpus/seed_page.ocr.txt -o page.txt --edits page.edits.jsonl
      cat page.ocr.txt | kocorrect fix --check --strict

    The edit log starts with a page record (input path, SHA-256, length, kocorrect version)
    followed by one record per edit, suggestion and flag, with offsets into the input.
    """
    if strict and not check:
        raise click.UsageError("--strict only makes sense with --check")
    _refuse_overwrite(file, **{"-o/--output": out, "--edits": edits})
    page = _read_input(file, encoding)
    result = Corrector(config=config).correct_large(page.text)
    if decisions is not None:
        result = _replay(page, result, decisions)
    name = _input_name(page)
    if edits is not None:
        _write(edits, edit_log(result, path=name, sha256=page.sha256, version=__version__))
    if check:
        flagged = strict and bool(result.flags)
        message = (
            f"{name}: would change ({len(result.edits)} edits, {len(result.suggestions)} "
            f"suggestions, {len(result.flags)} flags)"
            if result.changed or flagged
            else f"{name}: unchanged"
        )
        click.echo(message, err=True)
        sys.exit(EXIT_CHANGES if result.changed or flagged else EXIT_OK)
    if as_json:
        if out is not None:
            _write(out, result.text)
        _emit(correction_json(result, path=name, sha256=page.sha256, version=__version__))
        return
    _write(out, result.text)


# ------------------------------------------------------------------------------- diff ----


@main.command()
@click.argument("file")
@click.option("--edits", "log_path", metavar="LOG", help="Show this edit log (from `fix "
              "--edits`) instead of correcting the page again.")  # fmt: skip
@click.option("--context", "-U", type=int, default=3, show_default=True, metavar="N",
              help="Unchanged lines shown around changes; -1 shows the whole page.")  # fmt: skip
@click.option("--color/--no-color", default=None, help="Color the changes (default: only on a "
              "terminal, and never when NO_COLOR is set).")  # fmt: skip
@_encoding_option
@config_options
def diff(
    file: str, log_path: str | None, context: int, color: bool | None, encoding: str | None,
    config: Config,
) -> None:  # fmt: skip
    """Show the changes to one page as a word diff, each numbered and explained.

    \b
    Example:
      kocorrect diff corpus/seed_page.ocr.txt --context 1
      kocorrect diff page.ocr.txt --edits page.edits.jsonl --color | less -R

    \b
    Notation (git --word-diff conventions):
      [-old-]{+new+}  applied change      {?old→new?}  suggestion (not applied)
      {@name@}        person name to check  {!text!}   other flag
      ‹n›             note n under the hunk: kind, confidence, reason;  ↵ a line break
    """
    page = _read_input(file, encoding)
    if log_path is not None:
        log = parse_edit_log(read_text(log_path), source=log_path)
        if log.page.get("sha256") != page.sha256:
            raise InputError(
                f"{log_path}: this edit log was made from another version of {file} (its "
                "SHA-256 differs); run `kocorrect fix --edits` on the page again"
            )
        result = log.correction(page.text)
    else:
        result = Corrector(config=config).correct_large(page.text)
    view = word_diff(
        result, path=_input_name(page), context=None if context < 0 else context,
        color=_use_color(color),
    )  # fmt: skip
    _emit(view + "\n")


# ------------------------------------------------------------------------------ batch ----


@main.command()
@click.argument("indir", type=click.Path(exists=True, file_okay=False))
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--glob", "pattern", default="*.txt", show_default=True,
              help="Which files under INDIR (recursive) are pages.")  # fmt: skip
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores).")  # fmt: skip
@click.option("--resume", is_flag=True, help="Skip pages already finished and intact.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only on a terminal).")  # fmt: skip
@click.option("--from-list", "from_list", type=click.Path(exists=True, dir_okay=False),
              help="Correct the pages named in this file (one path a line, relative to INDIR "
                   "or absolute inside it) instead of searching INDIR.")  # fmt: skip
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="local: a process pool on this machine; dask: a Dask "
              "cluster (pip install 'kocorrect[dask]').")  # fmt: skip
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="With --engine dask: the scheduler of a running cluster (INDIR and OUTDIR "
                   "at the same paths on every worker); without it a local cluster of --jobs "
                   "workers is started.")  # fmt: skip
@click.option("--pages-per-task", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --engine dask: pages per task (more for tiny pages).")  # fmt: skip
@_encoding_option
@config_options
def batch(
    indir: str, outdir: str, pattern: str, jobs: int | None, resume: bool,
    progress: bool | None, from_list: str | None, engine: str, scheduler: str | None,
    pages_per_task: int, encoding: str | None, config: Config,
) -> None:  # fmt: skip
    """Correct every page under INDIR into OUTDIR, with edit logs and a summary.

    \b
    Example:
      kocorrect batch scans/ corrected/ --glob '*.ocr.txt' --jobs 2
      kocorrect batch scans/ corrected/ --resume     # after an interrupted run
      kocorrect batch /mnt/scans /mnt/out --engine dask --scheduler tcp://head:8786

    Each page keeps its relative path and name; its edit log goes beside it with the final
    `.txt` replaced by `.edits.jsonl`. OUTDIR/summary.json holds the totals and the pages
    that failed (and why); the exit status is 3 when any page failed.
    """
    from .batch import format_summary, run_batch
    from .listing import check_page_list, read_page_list

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    pages = None
    if from_list:
        check_page_list(indir, from_list)  # a bad line stops the run before it starts
        pages = read_page_list(indir, from_list)
    if engine == "dask":
        from .cluster import run_batch_dask

        summary = run_batch_dask(
            indir, outdir, config=config, pattern=pattern, pages=pages, jobs=jobs,
            scheduler=scheduler, pages_per_task=pages_per_task, resume=resume,
            encoding=encoding, progress_bar=progress,
        )  # fmt: skip
    else:
        summary = run_batch(
            indir, outdir, config=config, pattern=pattern, pages=pages, jobs=jobs,
            resume=resume, encoding=encoding, progress_bar=progress,
        )  # fmt: skip
    if summary.pages == 0 and not from_list:
        click.echo(f"kocorrect: no files match {pattern!r} under {indir}; check --glob", err=True)
    _emit(format_summary(summary) + "\n")
    _emit(f"summary: {Path(outdir) / 'summary.json'}\n")
    if not summary.ok:
        sys.exit(EXIT_FAILED)


# ----------------------------------------------------------------------------- review ----

_KEYS = {
    "a": "accept", "y": "accept", "r": "reject", "n": "reject", "t": "replace", "e": "replace",
    "s": "skip", " ": "skip", "\r": "skip", "\n": "skip", "q": "quit",
}  # fmt: skip


def _show_item(source: str, item: Any, position: int, count: int) -> None:
    from .render import NEWLINE_MARK

    confidence = "" if item.confidence is None else f" {item.confidence:.2f}"
    click.echo(f"\n({position}/{count}) {item.category} {item.kind}{confidence}: {item.reason}")
    before = source[max(0, item.start - 30) : item.start].replace("\n", NEWLINE_MARK)
    after = source[item.end : item.end + 30].replace("\n", NEWLINE_MARK)
    line = source.count("\n", 0, item.start) + 1
    original = item.original.replace("\n", NEWLINE_MARK)
    proposal = item.proposal.replace("\n", NEWLINE_MARK)
    change = f"[{original}→{proposal}]" if proposal != item.original else f"[{original}]"
    click.echo(f"  line {line}: …{before}{change}{after}…")


def _ask_terminal(source: str) -> Callable[[Any, int, int], tuple[str, str | None]]:
    def ask(item: Any, position: int, count: int) -> tuple[str, str | None]:
        _show_item(source, item, position, count)
        while True:
            click.echo("  [a]ccept  [r]eject  [t]ype a replacement  [s]kip  [q]uit > ", nl=False)
            try:
                key = click.getchar()
            except (EOFError, KeyboardInterrupt):
                key = ""
            if not key:  # end of input: stop asking, keep what was decided
                click.echo()
                return "quit", None
            action = _KEYS.get(key.lower())
            click.echo(action or key)
            if action is None:
                continue
            if action == "replace":
                typed = click.prompt("  replacement", default=item.proposal, show_default=True)
                return action, typed
            return action, None

    return ask


def _default_decisions_path(out: str) -> str:
    path = Path(out)
    stem = path.name[: -len(".txt")] if path.name.endswith(".txt") else path.name
    return str(path.with_name(stem + ".decisions.jsonl"))


@main.command()
@click.argument("file")
@click.option("-o", "--output", "out", required=True, metavar="OUT",
              help="Where the reviewed text goes (never the input).")  # fmt: skip
@click.option("--all", "include_edits", is_flag=True, help="Also review the applied edits.")
@click.option("--decisions-log", metavar="PATH", help="Where the decisions go (JSONL; default: "
              "OUT with .txt replaced by .decisions.jsonl).")  # fmt: skip
@_encoding_option
@config_options
def review(
    file: str, out: str, include_edits: bool, decisions_log: str | None, encoding: str | None,
    config: Config,
) -> None:  # fmt: skip
    """Step through suggestions and flags of one page, one key each.

    \b
    Example:
      kocorrect review page.ocr.txt -o page.reviewed.txt
      kocorrect fix page.ocr.txt --decisions page.reviewed.decisions.jsonl   # replay

    Keys: a accept, r reject, t type a replacement, s (or Enter) skip, q quit (the rest is
    left as it is). Writes OUT and the decisions log that `kocorrect fix --decisions` replays.
    """
    from . import review as reviewing

    if out == "-":
        raise click.UsageError("review talks on the terminal: give -o a file, not -")
    log_path = decisions_log or _default_decisions_path(out)
    _refuse_overwrite(file, **{"-o/--output": out, "--decisions-log": log_path})
    page = _read_input(file, encoding)
    result = Corrector(config=config).correct_large(page.text)
    items = reviewing.review_items(result, include_edits=include_edits)
    if not items:
        click.echo(f"{_input_name(page)}: nothing to review", err=True)
    decisions = reviewing.run_review(items, _ask_terminal(page.text))
    reviewed = reviewing.apply_decisions(result, decisions)
    _write(out, reviewed.text)
    _write(
        log_path,
        reviewing.decisions_log(
            decisions, path=_input_name(page), sha256=page.sha256, length=len(page.text),
            version=__version__,
        ),
    )  # fmt: skip
    click.echo(f"\n{len(decisions)} decisions; wrote {out} and {log_path}", err=True)


# -------------------------------------------------------------------------------- eval ----


@main.command(name="eval")
@click.argument("files", nargs=-1, metavar="[OCR GOLD OUT]")
@click.option("--ocr-dir", metavar="D", help="Folder of NAME.ocr.txt + NAME.gold.txt pairs.")
@click.option("--out-dir", metavar="O", help="Folder of NAME.ocr.txt outputs for those pairs.")
@click.option("--json", "as_json", is_flag=True, help="Print totals as JSON.")
@click.option("--per-page", is_flag=True, help="Include one row per page.")
def evaluate(
    files: tuple[str, ...], ocr_dir: str | None, out_dir: str | None, as_json: bool,
    per_page: bool,
) -> None:  # fmt: skip
    """Score corrected pages against gold: CER/WER before and after, edit P/R/F0.5.

    \b
    Example:
      kocorrect batch bench/dev out/ --glob '*.ocr.txt'
      kocorrect eval --ocr-dir bench/dev --out-dir out/
      kocorrect eval page.ocr.txt page.gold.txt page.out.txt --json

    Definitions are those of the reference scorer (tools/score.py): whitespace runs count as
    one space; edits are P/R/F0.5-scored per character region and per word, overall and by
    class (space: whitespace-only changes; misread: characters changed; hangul: misread
    Korean words).
    """
    from . import evaluate as scoring

    if files and (ocr_dir or out_dir):
        raise click.UsageError("give either OCR GOLD OUT or --ocr-dir/--out-dir, not both")
    if files:
        if len(files) != 3:
            raise click.UsageError("give three files: OCR GOLD OUT")
        ocr, gold, output = (read_text(f) for f in files)
        pages = [scoring.score_page(ocr, gold, output, name=Path(files[0]).name)]
        missing: list[str] = []
    elif ocr_dir and out_dir:
        for folder in (ocr_dir, out_dir):
            if not Path(folder).is_dir():
                raise InputError(f"{folder}: not a folder; check the path")
        pages, missing = scoring.score_dirs(ocr_dir, out_dir)
        if not pages:
            raise InputError(f"{ocr_dir}: no NAME.ocr.txt + NAME.gold.txt pairs in this folder")
    else:
        raise click.UsageError("give OCR GOLD OUT, or both --ocr-dir and --out-dir")
    if as_json:
        document = scoring.scores_json(pages, missing, per_page=per_page)
        _emit(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        return
    _emit(scoring.format_table(pages, per_page=per_page or len(pages) == 1) + "\n")
    if missing:
        _emit(f"missing outputs (scored as unchanged): {', '.join(missing)}\n")


if __name__ == "__main__":
    main()
