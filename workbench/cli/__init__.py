"""The command line: thin click commands that call the core and print.

Command groups live in their own modules and are loaded when used, so
``workbench --help`` and quick commands stay fast (the TUI is imported only by
``review`` and ``demo``).
"""

from __future__ import annotations

import importlib

import click

from workbench import __version__

# command name -> (module, attribute)
_COMMANDS = {
    "import": ("workbench.cli.importing", "import_command"),
    "articles": ("workbench.cli.importing", "articles_command"),
    "article": ("workbench.cli.importing", "article_command"),
    "claims": ("workbench.cli.claims", "claims_command"),
    "claimant": ("workbench.cli.claims", "claimant_command"),
    "reprocess": ("workbench.cli.claims", "reprocess_command"),
    "entities": ("workbench.cli.claims", "entities_group"),
    "link": ("workbench.cli.links", "link_command"),
    "links": ("workbench.cli.links", "links_command"),
    "confirm-link": ("workbench.cli.links", "confirm_link_command"),
    "reject-link": ("workbench.cli.links", "reject_link_command"),
    "stories": ("workbench.cli.stories", "stories_command"),
    "review": ("workbench.cli.review", "review_command"),
    "serve": ("workbench.cli.serve", "serve_command"),
    "demo": ("workbench.cli.review", "demo_command"),
    "verdict": ("workbench.cli.review", "verdict_command"),
    "promote": ("workbench.cli.review", "promote_command"),
    "verdicts": ("workbench.cli.review", "verdicts_command"),
    "agreement": ("workbench.cli.review", "agreement_command"),
    "settings": ("workbench.cli.review", "settings_group"),
    "audit": ("workbench.cli.audit", "audit"),
    "upgrade": ("workbench.cli.database", "upgrade_command"),
    "export": ("workbench.cli.export", "export"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in _COMMANDS:
            return None
        module, attribute = _COMMANDS[name]
        command = getattr(importlib.import_module(module), attribute)
        command.name = name
        return command

    def invoke(self, ctx: click.Context):
        # A database that cannot be used as asked (not ours, newer, missing for a
        # read-only command, locked past --wait, a full disk): a one-line error
        # (exit 1), not a traceback. An unprotected audit log, or a reviewer key that cannot be used,
        # refuses every write the same way.
        import errno
        import sqlite3

        from workbench.safe_text import one_line
        from workbench.signing import SigningError
        from workbench.store.audit import ProtectionMissing
        from workbench.store.db import DatabaseError, _translate

        try:
            return super().invoke(ctx)
        except (DatabaseError, ProtectionMissing, SigningError) as exc:
            raise click.ClickException(one_line(str(exc))) from exc
        except sqlite3.Error as exc:
            translated = _translate(exc)
            if translated is exc:
                raise
            raise click.ClickException(one_line(str(translated))) from exc
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
            raise click.ClickException(f"the disk is full: {one_line(str(exc))}") from exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
@click.option("--db", "db_path", type=click.Path(), default=None,
              help="The database file, for any command (default: $WORKBENCH_DB, else ./workbench.db).")
@click.option("--reviewer", default=None,
              help="Who acts, for any command that records something (default: $WORKBENCH_REVIEWER, else the OS user).")
@click.option("--wait", type=click.FloatRange(min=0), default=None,
              help="Seconds a write waits for another process's lock before giving up, for any command (default 30).")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, reviewer: str | None, wait: float | None) -> None:
    """An offline workbench for fact-checkers: import articles, find claims, cross-link sources, review, audit.

    --db PATH and --reviewer NAME go before or after the command (workbench --db x.db articles, or
    workbench articles --db x.db). Listings take --format table|jsonl|json|csv and --wide.

    Exit status: 0 done; 1 refused or not found (one line on stderr); 2 a usage error.
    """
    ctx.meta["workbench.db"] = db_path
    ctx.meta["workbench.reviewer"] = reviewer
    ctx.meta["workbench.wait"] = wait


def main() -> None:
    cli(prog_name="workbench")
