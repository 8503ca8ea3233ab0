"""The CLI reference, generated from the click commands themselves.

``python -m workbench.cli.reference > docs/cli.md`` writes it; a test fails
when docs/cli.md differs from what the commands say, so the reference cannot
drift from the code (sqlite-utils keeps its CLI reference the same way, with cog).
"""

from __future__ import annotations

import click

from workbench.cli import cli

WIDTH = 100  # help is wrapped at a fixed width so the reference does not depend on the terminal
REGENERATE = "python -m workbench.cli.reference > docs/cli.md"

INTRO = """\
# The `workbench` command line

<!-- Generated from the click commands by `{regenerate}`: do not edit by hand.
     tests/test_cli_reference.py fails when this file and the commands disagree. -->

`--db PATH` and `--reviewer NAME` go before or after the command (`workbench --db x.db articles` and
`workbench articles --db x.db` are the same); without them the database is `$WORKBENCH_DB`, else
`./workbench.db`, and the reviewer `$WORKBENCH_REVIEWER`, else the OS user.

Every listing takes `--format table|jsonl|json|csv` and `--wide`:

- `table` (the default) fits the terminal: long cells are cut with an ellipsis, paths show as the file
  name, the least important columns are dropped on a narrow terminal; `--wide` shows every column in
  full. When standard output is not a terminal and no `--format` is given, the table is printed at its
  natural width, untruncated, so `| grep` sees everything.
- `jsonl`: one JSON object a line; `json`: one array of the same objects; `csv`: a header row, then
  one row per object, lists and objects as JSON text, every cell formula-safe (a cell that would start
  with `= + - @` is prefixed with `'`, as the exports do).

Exit status: `0` done; `1` refused or not found (one line on standard error: a missing article,
claim or file, a refused import, a broken audit chain); `2` a usage error (an unknown option, a
malformed value). `audit verify` also exits `2` when there was nothing it could verify.
"""


def _walk(command: click.Command, ctx: click.Context, words: list[str]):
    yield words, command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            sub_ctx = click.Context(sub, info_name=name, parent=ctx, terminal_width=WIDTH, max_content_width=WIDTH)
            yield from _walk(sub, sub_ctx, words + [name])


def reference() -> str:
    """The whole reference as Markdown: the intro, then every command's ``--help``."""
    root = click.Context(cli, info_name="workbench", terminal_width=WIDTH, max_content_width=WIDTH,
                         **cli.context_settings)
    parts = [INTRO.format(regenerate=REGENERATE)]
    commands = list(_walk(cli, root, ["workbench"]))
    parts.append("## Commands\n\n" + "\n".join(
        f"- [`{' '.join(words)}`](#{'-'.join(words)})" for words, _, _ in commands[1:]) + "\n")
    for words, command, ctx in commands:
        name = " ".join(words)
        help_text = command.get_help(ctx).rstrip()
        parts.append(f"## {name}\n\n```\n{help_text}\n```\n")
    return "\n".join(parts)


def main() -> None:
    click.echo(reference(), nl=False)


if __name__ == "__main__":
    main()
