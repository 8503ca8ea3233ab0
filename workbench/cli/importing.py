"""``workbench import``, ``articles`` and ``article``."""

from __future__ import annotations

import sys

import click

from workbench.cli.common import connect, console, current_user, db_option, print_table
from workbench.cli.output import Column, listing_options
from workbench.ingest import DEFAULT_MAX_BYTES, iter_input_files
from workbench.safe_text import one_line, visible
from workbench.store import articles as store_articles


def run_import(db, paths, *, actor: str, max_bytes: int, show_progress: bool):
    """Import with a progress bar on a terminal; shared by ``import`` and ``demo``."""
    from workbench.pipeline import Pipeline

    pipeline = Pipeline(db, actor=actor)
    files = list(iter_input_files(paths))
    if not show_progress or len(files) < 2:
        return pipeline.import_paths(files, max_bytes=max_bytes)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console(stderr=True), transient=True) as progress:
        task = progress.add_task("import", total=len(files))
        return pipeline.import_paths(files, max_bytes=max_bytes, progress=lambda _p, _n: progress.advance(task))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Refuse files larger than this.")
@click.option("--reviewer", "actor", default=None, help="Who imports (default: $WORKBENCH_REVIEWER or the OS user).")
@db_option
def import_command(paths, max_bytes, actor, db_path):
    """Import articles from files and folders (recursively).

    Plain text with header lines, Markdown with front matter, HTML, forum
    reposts, JSON and JSONL; UTF-8/16, GB18030/GBK and Big5. A refused file
    gets one line on stderr (PATH: reason) and the rest still imports; the
    exit status is 1 if anything was refused.
    """
    db = connect(db_path)
    report = run_import(db, paths, actor=current_user(actor), max_bytes=max_bytes,
                        show_progress=sys.stderr.isatty())
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
    out.emit(store_articles.list_articles(connect(db_path)), ARTICLE_COLUMNS,
             fields=[c.key for c in ARTICLE_COLUMNS])


@click.command()
@click.argument("article_id", type=int)
@click.option("--raw", is_flag=True, help="Print the raw bytes as imported (to stdout, unchanged).")
@click.option("--removed", is_flag=True, help="List the page chrome removed from the body.")
@db_option
def article_command(article_id, raw, removed, db_path):
    """Show one article: metadata with where each field came from, and its clean text."""
    db = connect(db_path)
    article = store_articles.get_article(db, article_id)
    if article is None:
        raise click.ClickException(f"no article {article_id}")
    if raw:
        if sys.stdout.isatty():
            raise click.ClickException("refusing to write raw bytes to a terminal; redirect to a file")
        sys.stdout.buffer.write(store_articles.article_raw(db, article_id) or b"")
        return
    if removed:
        print_table(["kind", "text"], ((r["kind"], r["text"]) for r in article["removed"]),
                    title=f"removed from article {article_id}")
        return
    fields = ["title", "published", "author", "site", "url", "language"]
    print_table(
        ["field", "value", "from"],
        [(name, article[name], article[f"{name}_source"]) for name in fields]
        + [("path", article["path"], ""), ("format", article["format"], ""), ("encoding", article["encoding"], ""),
           ("duplicate_of", article["duplicate_of"], ""), ("warnings", "; ".join(article["warnings"]), ""),
           ("removed", f"{len(article['removed'])} pieces of page chrome (see --removed)", "")],
        title=f"article {article_id}",
    )
    from rich.text import Text

    console().print(Text(visible(article["clean_text"])))
