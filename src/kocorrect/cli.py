"""Command line: a thin click layer over the library (which never imports click).

Every command reads pages with `kocorrect.io`, corrects them with a `Corrector` built from the
shared options, and prints what `kocorrect.render` (or `evaluate`, `batch`, `review`) returns.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .config import MIN_THRESHOLD, Config
from .errors import ConfigError, InputError, KocorrectError
from .io import PageFile, decode_bytes, read_page, read_text, sha256_hex, write_text_atomic
from .misreads.effort import EFFORTS
from .pipeline import Corrector
from .render import correction_json, edit_log, parse_edit_log, word_diff
from .types import Correction

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C

log = logging.getLogger("kocorrect")

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
        except KeyboardInterrupt:  # every output is written atomically: none is half-written
            click.echo("\nkocorrect: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kocorrect")
def main() -> None:
    """kocorrect: Korean OCR clean-up that explains every change.

    \b
    Example:
      kocorrect fix corpus/seed_page.ocr.txt -o page.txt --edits page.edits.jsonl
      kocorrect diff corpus/seed_page.ocr.txt

    \b
    Exit codes (the same for every command):
      0    success
      1    changes found (fix --check; with --strict, flags too)
      2    usage error: a wrong option, argument or combination of them
           (also: review with no terminal and no answers given)
      3    a file could not be read or written: a missing or unreadable
           page, folder, lexicon, registry or log; a malformed data file;
           an output folder that does not exist
           (batch: at least one page failed; the others are done)
      130  interrupted (Ctrl-C); batch: run it again with --resume

    \b
    Shell completion (bash; zsh_source, fish_source likewise):
      eval "$(_KOCORRECT_COMPLETE=bash_source kocorrect)"
    """


# ------------------------------------------------------------------------ shared options ----

_CONFIG_OPTIONS = [
    click.option(
        "--lexicon", "lexicons", multiple=True, metavar="TSV",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A user lexicon added to the shipped ones; repeatable. UTF-8, one word a line: "
        "WORD<TAB>TAG<TAB>NOTE, TAB-separated, TAG (default NNG) and NOTE optional, "
        "# starts a comment.",
    ),
    click.option(
        "--registry", type=click.Path(dir_okay=False, path_type=Path),
        help="Name registry (TSV) of people the paper knows; without one every name is flagged.",
    ),
    click.option(
        "--date", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
        help="Publication date of the page(s): only registry entries valid that day count.",
    ),
    click.option(
        "--threshold", type=click.FloatRange(MIN_THRESHOLD, 1.0), default=None,
        help=f"Confidence at or above which a change is applied (default {Config().threshold}; "
        f"{MIN_THRESHOLD} to 1, the range the model is calibrated on); below it the change is "
        "only suggested.",
    ),
    click.option("--no-layout", is_flag=True, help="Do not rejoin broken words or lines."),
    click.option("--no-names", is_flag=True, help="Do not detect (protect, flag) person names."),
    click.option("--no-correct", is_flag=True, help="Do not repair misread words."),
    click.option("--keep-lines", is_flag=True, help="Keep the page's line breaks."),
    click.option(
        "--spacing-model", is_flag=True,
        help="Also ask the optional neural spacing model (pip install 'kocorrect[spacing]') "
        "about the line breaks the layout model hesitates over: more breaks rejoined, at a "
        "lower precision for those, about 5 s more to load.",
    ),
    click.option(
        "--effort", type=click.Choice(list(EFFORTS)), default=None,
        help="How much search each page gets (default thorough). fast: for archives, about "
        "1.6 times the pages per CPU-second for fewer repairs (see the README).",
    ),
]  # fmt: skip


def _build_config(
    *, lexicons: tuple[Path, ...], registry: Path | None, date: dt.datetime | None,
    threshold: float | None, no_layout: bool, no_names: bool, no_correct: bool, keep_lines: bool,
    spacing_model: bool = False, effort: str | None = None,
) -> Config:  # fmt: skip
    for option, path in [*(("--lexicon", p) for p in lexicons), ("--registry", registry)]:
        if path is not None:
            _require_file(path, option)
    defaults = Config()
    extra: dict[str, Any] = {}
    if threshold is not None:
        extra["threshold"] = threshold
        extra["suggest_threshold"] = min(defaults.suggest_threshold, threshold)
    if effort is not None:
        extra["effort"] = effort
    return Config(
        lexicons=lexicons,
        registry=registry,
        date=date.date() if date else None,
        layout=not no_layout,
        names=not no_names,
        correct=not no_correct,
        keep_lines=keep_lines,
        spacing_model=spacing_model,
        **extra,
    )


def config_options(func: F) -> F:
    """Add the options shared by fix, batch, diff and review; pass them on as `config`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        names = ("lexicons", "registry", "date", "threshold", "no_layout", "no_names",
                 "no_correct", "keep_lines", "spacing_model", "effort")  # fmt: skip
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


_format_option = click.option(
    "--format", "format_", type=click.Choice(["auto", "text", "hocr", "alto", "page"]),
    default="auto", show_default=True,
    help="Input format. auto: hOCR, ALTO or PAGE XML by extension and namespace, else plain "
    "text. Output (-o) has the input's format.",
)  # fmt: skip


# ------------------------------------------------------------------------------- helpers ----


def _require_file(path: str | os.PathLike[str], option: str) -> None:
    """A missing input file is the same mistake whatever names it: exit 3, this message."""
    if not os.path.exists(path):
        raise InputError(f"{os.fspath(path)}: no such file ({option}); check the path")
    if os.path.isdir(path):
        raise InputError(f"{os.fspath(path)}: is a folder, not a file ({option}); give the file")


def _require_folder_for(*paths: str | None) -> None:
    """Output files go into folders that exist: checked before any work, so that no output
    is written when another cannot be."""
    for path in paths:
        if path is None or path == "-":
            continue
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise InputError(
                f"{path}: cannot write: the folder {folder} does not exist; create it first "
                "(kocorrect never creates folders for an output file) or choose another path"
            )


def _plural(count: int, word: str) -> str:
    """`1 flag`, `2 flags`, `0 edits`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class _Verbosity:
    """What -q/-v asked for, for the messages the command itself prints."""

    quiet = False


def _configure_logging(quiet: bool, verbose: int) -> None:
    if quiet and verbose:
        raise click.UsageError("give -q/--quiet or -v/--verbose, not both")
    _Verbosity.quiet = quiet
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    log.setLevel(level)
    if not any(isinstance(h, _EchoHandler) for h in log.handlers):
        log.addHandler(_EchoHandler())
        log.propagate = False


class _EchoHandler(logging.Handler):
    """The library's log messages, on whatever stderr is at the time of each message."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


def verbosity_options(func: F) -> F:
    """-q/--quiet (errors only) and -v/--verbose (what is done, and how long it took)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _configure_logging(kwargs.pop("quiet"), kwargs.pop("verbose"))
        return func(*args, **kwargs)

    wrapper = click.option(
        "-v", "--verbose", count=True, help="Say what is done and how long it took (-vv: more)."
    )(wrapper)
    wrapper = click.option(
        "-q", "--quiet", is_flag=True, help="Print nothing but errors and the requested output."
    )(wrapper)
    return wrapper  # type: ignore[return-value]


def _say(message: str) -> None:
    """A message for the person at the terminal (stderr), silenced by --quiet."""
    if not _Verbosity.quiet:
        click.echo(message, err=True)


def _read_any(path: str, encoding: str | None, format_: str) -> tuple[PageFile, Any]:
    """The page, and its `formats.Document` when it is hOCR, ALTO or PAGE XML (else None)."""
    from . import formats

    if path == "-" or format_ == "text":
        return _read_input(path, encoding), None
    if format_ == "auto" and not formats.is_format_file(path):
        return _read_input(path, encoding), None
    doc = formats.read(path, None if format_ == "auto" else format_)
    return PageFile(path=path, text=doc.text, sha256=doc.sha256, encoding=""), doc


def _write_result(out: str | None, result: Correction, doc: Any) -> dict[str, Any] | None:
    """The corrected page to `out` (stdout for None or -), in the input's format; for a format
    page, the `formats.output_fingerprint` of what was written (else None)."""
    if doc is None:
        _write(out, result.text)
        return None
    import tempfile

    from . import formats

    try:
        if out is None or out == "-":
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / Path(doc.path).name
                doc.write(result, target)
                with open(target, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
                return formats.output_fingerprint(target)
        _require_folder_for(out)
        doc.write(result, out)
        return formats.output_fingerprint(out)
    except OSError as exc:
        raise InputError(
            f"{out}: cannot write ({exc.strerror or exc}); check the folder is writable"
        ) from None


def _log(
    result: Correction, page: PageFile, doc: Any, name: str, output: dict[str, Any] | None
) -> str:
    """The edit log of `result`; for a format page with the `output` fingerprint given."""
    if doc is None:
        return edit_log(
            result, path=name, sha256=page.sha256, version=__version__,
            encoding=page.encoding or None,
        )  # fmt: skip
    from . import formats

    return formats.edit_log(doc, result, path=name, version=__version__, output=output)


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
    _require_folder_for(path)
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot write ({exc.strerror or exc}); check the folder is writable"
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
@click.option("--check", is_flag=True, help="Write nothing (no -o, no --edits); exit 1 if "
              "anything would change.")  # fmt: skip
@click.option("--strict", is_flag=True, help="With --check: exit 1 also when anything is flagged.")
@click.option("--decisions", metavar="LOG", help="Replay a `kocorrect review` decisions log.")
@_encoding_option
@_format_option
@config_options
@verbosity_options
def fix(
    file: str, out: str | None, edits: str | None, as_json: bool, check: bool, strict: bool,
    decisions: str | None, encoding: str | None, format_: str, config: Config,
) -> None:  # fmt: skip
    """Correct one page (FILE, or stdin by default) and write the corrected text.

    \b
    Example:
      kocorrect fix corpus/seed_page.ocr.txt -o page.txt --edits page.edits.jsonl
      cat corpus/seed_page.ocr.txt | kocorrect fix --check --strict
      kocorrect fix page.hocr -o page.fixed.hocr --edits page.edits.jsonl   # or ALTO, PAGE

    The edit log starts with a page record (input path, SHA-256, length, kocorrect version)
    followed by one record per edit, suggestion and flag, with offsets into the input.
    """
    if strict and not check:
        raise click.UsageError("--strict only makes sense with --check")
    if check and (out is not None or edits is not None):
        given = " and ".join(o for o, v in (("-o", out), ("--edits", edits)) if v is not None)
        raise click.UsageError(f"--check writes nothing: leave out {given}, or drop --check")
    _refuse_overwrite(file, **{"-o/--output": out, "--edits": edits})
    _require_folder_for(out, edits)
    if decisions is not None:
        _require_file(decisions, "--decisions")
    started = time.perf_counter()
    page, doc = _read_any(file, encoding, format_)
    result = Corrector(config=config).correct_large(page.text)
    if decisions is not None:
        result = _replay(page, result, decisions)
    name = _input_name(page)
    log.info(
        "kocorrect: %s (%s, %s): %s, %s, %s in %.1f s", name, page.encoding or "detected",
        _plural(len(page.text), "char"), _plural(len(result.edits), "edit"),
        _plural(len(result.suggestions), "suggestion"), _plural(len(result.flags), "flag"),
        time.perf_counter() - started,
    )  # fmt: skip
    if check:
        flagged = strict and bool(result.flags)
        message = (
            f"{name}: would change ({_plural(len(result.edits), 'edit')}, "
            f"{_plural(len(result.suggestions), 'suggestion')}, "
            f"{_plural(len(result.flags), 'flag')})"
            if result.changed or flagged
            else f"{name}: unchanged"
        )
        _say(message)
        sys.exit(EXIT_CHANGES if result.changed or flagged else EXIT_OK)
    written = None  # a format page: the fingerprint of the file written, for its edit log
    if out is not None or not as_json:
        written = _write_result(out, result, doc)
    if edits is not None:  # the edit log last, as in batch: it records the output written
        _write(edits, _log(result, page, doc, name, written))
    if as_json:
        _emit(correction_json(result, path=name, sha256=page.sha256, version=__version__))


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
@_format_option
@config_options
@verbosity_options
def diff(
    file: str, log_path: str | None, context: int, color: bool | None, encoding: str | None,
    format_: str, config: Config,
) -> None:  # fmt: skip
    """Show the changes to one page as a word diff, each numbered and explained.

    \b
    Example:
      kocorrect diff corpus/seed_page.ocr.txt --context 1
      kocorrect diff corpus/seed_page.ocr.txt --edits page.edits.jsonl --color | less -R

    \b
    Notation (git --word-diff conventions):
      [-old-]{+new+}  applied change      {?old→new?}  suggestion (not applied)
      {@name@}        person name to check  {!text!}   other flag
      ‹n›             note n under the hunk: kind, confidence, reason;  ↵ a line break
    """
    page, _ = _read_any(file, encoding, format_)
    if log_path is not None:
        stored = parse_edit_log(read_text(log_path), source=log_path)
        if stored.page.get("sha256") != page.sha256:
            raise InputError(
                f"{log_path}: this edit log was made from another version of {file} (its "
                "SHA-256 differs); run `kocorrect fix --edits` on the page again"
            )
        result = stored.correction(page.text)
    else:
        result = Corrector(config=config).correct_large(page.text)
    view = word_diff(
        result, path=_input_name(page), context=None if context < 0 else context,
        color=_use_color(color),
    )  # fmt: skip
    _emit(view + "\n")


# ------------------------------------------------------------------------------ batch ----


@main.command()
@click.argument("indir", type=click.Path(path_type=str))
@click.argument("outdir", type=click.Path(path_type=str))
@click.option("--glob", "pattern", default="*.txt", show_default=True,
              help="Which files under INDIR (recursive) are pages.")  # fmt: skip
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores).")  # fmt: skip
@click.option("--resume", is_flag=True, help="Skip pages already finished and intact (input "
              "unchanged, output as its edit log recorded it).")  # fmt: skip
@click.option("--page-timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Fail a page that takes longer (recorded in summary.json "
              "with that reason); the run goes on. Unix only.")  # fmt: skip
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only on a terminal).")  # fmt: skip
@click.option("--from-list", "from_list", metavar="FILE",
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
@verbosity_options
def batch(
    indir: str, outdir: str, pattern: str, jobs: int | None, resume: bool,
    page_timeout: float | None, progress: bool | None, from_list: str | None, engine: str,
    scheduler: str | None, pages_per_task: int, encoding: str | None, config: Config,
) -> None:  # fmt: skip
    """Correct every page under INDIR into OUTDIR (a folder that exists), with edit logs and a
    summary.

    \b
    Example:
      mkdir -p corrected
      kocorrect batch corpus/pages/ corrected/ --glob '*.ocr.txt' --jobs 2
      kocorrect batch corpus/pages/ corrected/ --glob '*.ocr.txt' --resume  # after a stop
      kocorrect batch scans/ corrected/ --glob '*.hocr'  # hOCR/ALTO/PAGE: same format out
      kocorrect batch /mnt/scans /mnt/out --engine dask --scheduler tcp://head:8786

    Each page keeps its relative path and name; its edit log goes beside it with the final
    `.txt` replaced by `.edits.jsonl`. OUTDIR/summary.json holds the totals, the time taken,
    each page's status and detected encoding, and the pages that failed (and why); the exit
    status is 3 when any page failed. Ctrl-C stops cleanly (exit 130): the pages finished so
    far stay, summary.json covers them and says "interrupted", --resume finishes the rest.
    """
    from .batch import BatchInterrupted, check_page_timeout, format_summary, run_batch
    from .listing import check_page_list, read_page_list

    check_page_timeout(page_timeout)
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if page_timeout is not None and engine == "dask":
        raise click.UsageError(
            "--page-timeout works with the local engine only (its alarm needs a process's "
            "main thread; Dask runs pages in worker threads): leave it out with --engine dask"
        )
    pages = None
    if from_list:
        _require_file(from_list, "--from-list")
        check_page_list(indir, from_list)  # a bad line stops the run before it starts
        pages = read_page_list(indir, from_list)
    show_bar = False if _Verbosity.quiet else progress
    try:
        if engine == "dask":
            from .cluster import run_batch_dask

            summary = run_batch_dask(
                indir, outdir, config=config, pattern=pattern, pages=pages, jobs=jobs,
                scheduler=scheduler, pages_per_task=pages_per_task, resume=resume,
                encoding=encoding, progress_bar=show_bar,
            )  # fmt: skip
        else:
            summary = run_batch(
                indir, outdir, config=config, pattern=pattern, pages=pages, jobs=jobs,
                resume=resume, encoding=encoding, progress_bar=show_bar,
                page_timeout=page_timeout,
            )  # fmt: skip
    except BatchInterrupted as stop:
        done = stop.summary
        if not _Verbosity.quiet:
            _emit(format_summary(done) + "\n")
        click.echo(
            f"\nkocorrect: interrupted after {done.pages}"
            + ("" if done.pages_found is None else f" of {done.pages_found}")
            + f" pages "
            f"({Path(outdir) / 'summary.json'} says so); to finish, run the same command "
            "again with --resume",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    if summary.pages == 0 and not from_list:
        click.echo(f"kocorrect: no files match {pattern!r} under {indir}; check --glob", err=True)
    if not _Verbosity.quiet:
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


def _legend(item: Any) -> str:
    from .review import has_choice

    if has_choice(item):
        return "  [a]ccept  [r]eject  [t]ype a replacement  [s]kip  [q]uit > "
    # accept and reject would both keep the text: say what accept means, offer no reject
    return "  [a] checked, it is right (logged)  [t]ype the right text  [s]kip  [q]uit > "


def _ask_terminal(source: str) -> Callable[[Any, int, int], tuple[str, str | None]]:
    from .review import has_choice

    def ask(item: Any, position: int, count: int) -> tuple[str, str | None]:
        _show_item(source, item, position, count)
        while True:
            click.echo(_legend(item), nl=False)
            try:
                key = click.getchar()
            except (EOFError, KeyboardInterrupt):
                key = ""
            if not key:  # end of input: stop asking, keep what was decided
                click.echo()
                return "quit", None
            action = _KEYS.get(key.lower())
            if action == "reject" and not has_choice(item):
                action = None
            click.echo(action or key)
            if action is None:
                continue
            if action == "replace":
                typed = click.prompt("  replacement", default=item.proposal, show_default=True)
                return action, typed
            return action, None

    return ask


def _ask_scripted(
    source: str, answers: list[tuple[str, str | None]], where: str
) -> Callable[[Any, int, int], tuple[str, str | None]]:
    """Take the answers in turn (no terminal needed); when they run out, stop asking."""
    from .review import has_choice

    pending = iter(answers)

    def ask(item: Any, position: int, count: int) -> tuple[str, str | None]:
        if not _Verbosity.quiet:
            _show_item(source, item, position, count)
        action, typed = next(pending, ("quit", None))
        if action == "reject" and not has_choice(item):
            raise click.UsageError(
                f"{where}: item {position} ({item.kind} {item.original}) proposes nothing to "
                "reject; answer a (checked, it is right), t=TEXT or s"
            )
        if not _Verbosity.quiet:
            click.echo(f"{_legend(item)}{action}" + (f" {typed}" if typed is not None else ""))
        return action, typed

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
@click.option("--keys", "keys", metavar="ANSWERS", help="The answers, in item order, instead "
              "of asking: 'a r s t=TEXT q' (keys may run together: 'ars'); when they run out, "
              "the rest is left as it is.")  # fmt: skip
@_encoding_option
@_format_option
@config_options
@verbosity_options
def review(
    file: str, out: str, include_edits: bool, decisions_log: str | None, keys: str | None,
    encoding: str | None, format_: str, config: Config,
) -> None:  # fmt: skip
    """Step through suggestions and flags of one page, one key each.

    \b
    Example:
      kocorrect review corpus/seed_page.ocr.txt -o page.reviewed.txt
      kocorrect review corpus/seed_page.ocr.txt -o page.reviewed.txt --keys 'a s r'
      kocorrect fix corpus/seed_page.ocr.txt --decisions page.reviewed.decisions.jsonl

    Keys: a accept, r reject, t type a replacement, s (or Enter) skip, q quit (the rest is
    left as it is). On a flag that proposes nothing (an unverified name) a means "checked, it
    is right": the text stays and the decision is logged. With no terminal (cron, CI, a pipe)
    the answers come from --keys or from stdin, written as for --keys. Writes OUT and the
    decisions log that `kocorrect fix --decisions` replays.
    """
    from . import review as reviewing

    if out == "-":
        raise click.UsageError("review talks on the terminal: give -o a file, not -")
    log_path = decisions_log or _default_decisions_path(out)
    _refuse_overwrite(file, **{"-o/--output": out, "--decisions-log": log_path})
    _require_folder_for(out, log_path)
    where = "--keys"
    if keys is None and not sys.stdin.isatty():
        if file == "-":
            raise click.UsageError(
                "the page comes on stdin, so the answers cannot: give them with --keys"
            )
        keys, where = sys.stdin.read(), "stdin"
        if not keys.strip():
            raise click.UsageError(
                "review asks one key per item on a terminal, and stdin is not one (cron, CI, "
                "a pipe) and gave no answers: run it in a terminal, or give the answers with "
                "--keys 'a r s t=TEXT q' or on stdin"
            )
    try:
        answers = None if keys is None else reviewing.parse_answers(keys)
    except ValueError as exc:
        raise click.UsageError(f"{where}: {exc}") from None
    page, doc = _read_any(file, encoding, format_)
    result = Corrector(config=config).correct_large(page.text)
    items = reviewing.review_items(result, include_edits=include_edits)
    if not items:
        _say(f"{_input_name(page)}: nothing to review")
    ask = _ask_terminal(page.text) if answers is None else _ask_scripted(page.text, answers, where)
    decisions = reviewing.run_review(items, ask)
    reviewed = reviewing.apply_decisions(result, decisions)
    _write_result(out, reviewed, doc)
    _write(
        log_path,
        reviewing.decisions_log(
            decisions, path=_input_name(page), sha256=page.sha256, length=len(page.text),
            version=__version__,
        ),
    )  # fmt: skip
    _say(f"\n{_plural(len(decisions), 'decision')}; wrote {out} and {log_path}")


# -------------------------------------------------------------------------------- eval ----


@main.command(name="eval")
@click.argument("files", nargs=-1, metavar="[OCR GOLD OUT]")
@click.option("--ocr-dir", metavar="D", help="Folder of NAME.ocr.txt + NAME.gold.txt pairs.")
@click.option("--out-dir", metavar="O", help="Folder of NAME.ocr.txt outputs for those pairs.")
@click.option("--json", "as_json", is_flag=True, help="Print totals as JSON.")
@click.option("--per-page", is_flag=True, help="Include one row per page.")
@verbosity_options
def evaluate(
    files: tuple[str, ...], ocr_dir: str | None, out_dir: str | None, as_json: bool,
    per_page: bool,
) -> None:  # fmt: skip
    """Score corrected pages against gold: CER/WER before and after, edit P/R/F0.5.

    \b
    Example:
      kocorrect fix corpus/seed_page.ocr.txt -o page.txt
      kocorrect eval corpus/seed_page.ocr.txt corpus/seed_page.gold.txt page.txt --json
      kocorrect eval --ocr-dir ../shared/bench/dev --out-dir out/   # NAME.ocr.txt outputs

    Definitions are those of the reference scorer (../shared/tools/score.py): whitespace runs
    count as one space; edits are P/R/F0.5-scored per character region and per word, overall
    and by class (space: whitespace-only changes; misread: characters changed; hangul: misread
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
