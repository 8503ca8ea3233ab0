"""``workbench import``, ``articles`` and ``article``."""

from __future__ import annotations

import sys

import click

from workbench.cli.common import connect, console, current_user, db_option, row_id_callback
from workbench.cli.output import Column, listing_options, print_listing
from workbench.cli.progress import quiet_option, wanted
from workbench.ingest import DEFAULT_MAX_BYTES, iter_input_files
from workbench.safe_text import one_line, visible
from workbench.store import articles as store_articles


def run_import(db, paths, *, actor: str, max_bytes: int, show_progress: bool, jobs: int | None = 1,
               scheduler: str | None = None, follow_symlinks: bool = False):
    """Import with a progress bar on a terminal; shared by ``import`` and ``demo``.

    Analysis runs on ``jobs`` worker processes (None: one per core) or on the
    Dask cluster at ``scheduler``; a handful of files is analysed here, where
    starting workers would cost more than it saves.
    """
    from workbench.cli.progress import bars
    from workbench.executors import ClusterUnavailable, executor_for
    from workbench.pipeline import TASK_FILES, Pipeline

    pipeline = Pipeline(db, actor=actor)
    files = list(iter_input_files(paths, follow_symlinks=follow_symlinks))
    if scheduler is None and len(files) <= 2 * TASK_FILES:
        jobs = 1
    total_bytes = sum(_size(p) for p in files)
    try:
        with executor_for(jobs, scheduler) as executor, bars(show_progress and len(files) > 1) as shown:
            return pipeline.import_paths(files, max_bytes=max_bytes, executor=executor,
                                         progress=shown.files(len(files), total_bytes) if shown else None,
                                         link_progress=shown.stage if shown else None)
    except ClusterUnavailable as exc:
        raise click.ClickException(str(exc)) from exc


def _size(path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Refuse files larger than this.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes analysing files (default: one per core; 1: in this process).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Analyse on a Dask cluster (tcp://host:8786; needs workbench[cluster]); the database stays here.")
@click.option("--reviewer", "actor", default=None, help="Who imports (default: $WORKBENCH_REVIEWER or the OS user).")
@click.option("--follow-symlinks", is_flag=True,
              help="Follow symlinks that lead outside the folders given (by default each is refused; loops always).")
@quiet_option
@db_option
def import_command(paths, max_bytes, jobs, scheduler, actor, follow_symlinks, quiet, db_path):
    """Import articles from files and folders (recursively).

    Plain text with header lines, Markdown with front matter, HTML, forum
    reposts, JSON and JSONL; UTF-8/16, GB18030/GBK and Big5. A refused file
    gets one line on stderr (PATH: reason) and the rest still imports; the
    exit status is 1 if anything was refused. The result is the same with
    any --jobs or --scheduler.
    """
    if jobs is not None and scheduler:
        raise click.UsageError("--jobs and --scheduler exclude each other (the cluster decides its workers)")
    db = connect(db_path)
    report = run_import(db, paths, actor=current_user(actor), max_bytes=max_bytes, show_progress=wanted(quiet),
                        jobs=jobs, scheduler=scheduler, follow_symlinks=follow_symlinks)
    for path, reason in report.refused:
        click.echo(f"{one_line(path)}: {one_line(reason)}", err=True)
    for path, article_id in report.already:
        click.echo(f"{one_line(path)}: already imported as article {article_id}", err=True)
    mb = report.bytes_read / 1e6
    rate = f"{report.files / report.seconds:.1f} files/s, {mb / report.seconds:.2f} MB/s" if report.seconds else ""
    click.echo(
        f"imported {len(report.imported)}, duplicates {len(report.already)} (same bytes) + "
        f"{len(report.near_duplicates)} (near-identical, imported and marked), refused {len(report.refused)}; "
        f"{report.files} files, {mb:.2f} MB in {report.seconds:.2f} s ({rate}); {report.links} links stored"
    )
    sys.exit(1 if report.refused else 0)


ARTICLE_COLUMNS = [
    Column("id", justify="right"),
    Column("path", kind="path", priority=5, flex=1, min_width=12),
    Column("title", flex=4, lines=2, min_width=28),
    Column("published", kind="date", priority=1, min_width=10),
    Column("author", priority=6, flex=1),
    Column("site", priority=4, flex=1, min_width=8),
    Column("url", priority=7, flex=1, min_width=12),
    Column("language", header="lang", priority=2),
    Column("duplicate_of", header="dup of", priority=3, justify="right"),
    Column("statements", header="stmts", priority=2, justify="right"),
    Column("claims", priority=1, justify="right"),
]


@click.command()
@listing_options
@db_option
def articles_command(out, db_path):
    """List the articles: metadata, duplicates, statement and claim counts."""
    out.emit(store_articles.list_articles(connect(db_path, readonly=True)), ARTICLE_COLUMNS,
             fields=[c.key for c in ARTICLE_COLUMNS])


METADATA_COLUMNS = [Column("field"), Column("value", flex=1, lines=3, min_width=20), Column("from", priority=1)]
# "at": where a piece cut out of a sentence was, in the text before it was cut (SEO fragments)
REMOVED_COLUMNS = [Column("kind"), Column("offset", header="at", justify="right"),
                   Column("text", flex=1, lines=3, min_width=20)]


@click.command()
@click.argument("article_id", callback=row_id_callback)
@click.option("--raw", is_flag=True, help="Print the raw bytes as imported (to stdout, unchanged).")
@click.option("--removed", is_flag=True, help="List the page chrome removed from the body.")
@db_option
def article_command(article_id, raw, removed, db_path):
    """Show one article: metadata with where each field came from, and its clean text."""
    db = connect(db_path, readonly=True)
    article = store_articles.get_article(db, article_id)
    if article is None:
        raise click.ClickException(f"no article {article_id}")
    if raw:
        if sys.stdout.isatty():
            raise click.ClickException("refusing to write raw bytes to a terminal; redirect to a file")
        sys.stdout.buffer.write(store_articles.article_raw(db, article_id) or b"")
        return
    fitted = sys.stdout.isatty()
    if removed:
        print_listing(article["removed"], REMOVED_COLUMNS, title=f"removed from article {article_id}", fitted=fitted)
        return
    fields = ["title", "published", "author", "site", "url", "language"]
    rows = [{"field": name, "value": article[name], "from": article[f"{name}_source"]} for name in fields] + [
        {"field": "encoding", "value": article["encoding"], "from": article.get("encoding_source") or ""}] + [
        {"field": name, "value": value, "from": ""} for name, value in (
            ("path", article["path"]), ("format", article["format"]),
            ("duplicate_of", article["duplicate_of"]), ("warnings", "; ".join(article["warnings"])),
            ("removed", f"{len(article['removed'])} pieces of page chrome (see --removed)"))]
    print_listing(rows, METADATA_COLUMNS, title=f"article {article_id}", fitted=fitted)
    from rich.text import Text

    console().print(Text(visible(article["clean_text"])))
