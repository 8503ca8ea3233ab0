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
    "stories": ("workbench.cli.stories", "stories_command"),
    "review": ("workbench.cli.review", "review_command"),
    "demo": ("workbench.cli.review", "demo_command"),
    "verdict": ("workbench.cli.review", "verdict_command"),
    "verdicts": ("workbench.cli.review", "verdicts_command"),
    "agreement": ("workbench.cli.review", "agreement_command"),
    "settings": ("workbench.cli.review", "settings_group"),
    "audit": ("workbench.cli.audit", "audit"),
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
        # Another process kept the write lock past the busy timeout and the
        # retries: a one-line error (exit 1), not a traceback.
        # An unprotected audit log refuses every write the same way.
        from workbench.store.audit import ProtectionMissing
        from workbench.store.db import DatabaseBusy

        try:
            return super().invoke(ctx)
        except (DatabaseBusy, ProtectionMissing) as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="The database file, for any command (default: $WORKBENCH_DB, else ./workbench.db).")
@click.option("--reviewer", default=None,
              help="Who acts, for any command that records something (default: $WORKBENCH_REVIEWER, else the OS user).")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, reviewer: str | None) -> None:
    """An offline workbench for fact-checkers: import articles, find claims, cross-link sources, review, audit.

    --db PATH and --reviewer NAME go before or after the command (workbench --db x.db articles, or
    workbench articles --db x.db). Listings take --format table|jsonl|json|csv and --wide.

    Exit status: 0 done; 1 refused or not found (one line on stderr); 2 a usage error.
    """
    ctx.meta["workbench.db"] = db_path
    ctx.meta["workbench.reviewer"] = reviewer


def main() -> None:
    cli(prog_name="workbench")
