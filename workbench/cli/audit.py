"""``workbench audit``: verify the hash-chained audit log and checkpoint it.

Exit codes of ``audit verify``: 0 the chain (and checkpoint) hold; 1 they do
not, and the message names the first bad ``seq``; 2 nothing could be verified
(no database, unreadable checkpoint or file).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench import __version__
from workbench.audit import Checkpoint, Verification, strict_loads, verify_jsonl
from workbench.cli.common import connect, current_user, db_option, reviewer_option
from workbench.cli.output import Column, Output, listing_options
from workbench.export.output import OutputRefused, open_output
from workbench.safe_text import one_line
from workbench.signing import SignatureChecker, checkpoint_problems, fingerprint, sign_checkpoint, signer_for
from workbench.store.audit import (
    REPAIR_HINT,
    AuditReport,
    ProtectionMissing,
    now_utc,
    register_key,
    repair_triggers,
    verify_database,
)
from workbench.store.db import resolve_db_path, transaction
from workbench.store.exports import database_id, read_snapshot


class CannotVerify(click.ClickException):
    exit_code = 2


def safe(text: str) -> str:
    """A message fit for the terminal: control and bidi characters shown, never sent raw."""
    return one_line(text)


def open_existing_db(db_path: str | None, error: type[click.ClickException] = click.ClickException, *,
                     readonly: bool = True):
    """Open the database at ``--db``; refuse to create one where none exists."""
    path = resolve_db_path(db_path)
    if not Path(path).is_file():
        raise error(f"no workbench database at {safe(str(path))}")
    return connect(str(path), readonly=readonly)


def _read_checkpoint(path: str) -> Checkpoint:
    try:
        with open(path, encoding="utf-8") as handle:
            return Checkpoint.from_json(strict_loads(handle.read()))
    except (OSError, ValueError) as exc:
        raise CannotVerify(f"cannot read checkpoint {safe(path)}: {safe(str(exc))}") from None


def _report(result: Verification, checkpoint: Checkpoint | None) -> None:
    if result.ok:
        suffix = f"; matches the checkpoint ({checkpoint.count} events)" if checkpoint else ""
        click.echo(f"OK: {result.count} events verified, head {result.head}{suffix}")
        return
    click.echo(f"FAILED at seq {result.first_bad_seq}: {safe(result.problem or 'unknown problem')}")
    click.echo(f"{result.count} events verified before it; last good hash {result.head}")
    raise SystemExit(1)


VERIFY_FIELDS = ["ok", "count", "head", "first_bad_seq", "problem", "protection", "disagreements",
                 "disagreement_count", "signatures", "signature_problem_count", "checkpoint", "checkpoint_problems"]


def _emit_record(out: Output, result: Verification, checkpoint: Checkpoint | None,
                 report: AuditReport | None = None) -> None:
    """``--format jsonl|json|csv``: the outcome as one record; the exit status is the same as the text's."""
    checkpoint_failures = (checkpoint_problems(checkpoint, report.keys if report else {})
                           if checkpoint is not None else [])
    record = {"ok": (report.ok if report else result.ok) and not checkpoint_failures,
              "count": result.count, "head": result.head,
              "first_bad_seq": result.first_bad_seq, "problem": result.problem,
              "protection": report.protection if report else [],
              "disagreements": report.disagreements if report else [],
              "disagreement_count": report.disagreement_count if report else 0,
              "signatures": report.signatures if report else [],
              "signature_problem_count": report.signature_problem_count if report else 0,
              "checkpoint": checkpoint is not None, "checkpoint_problems": checkpoint_failures}
    out.emit([record], [Column(name) for name in VERIFY_FIELDS], fields=VERIFY_FIELDS)
    out.close()
    if not record["ok"]:
        raise SystemExit(1)


audit = click.Group("audit", help="Verify and checkpoint the tamper-evident audit log.")


@audit.command("verify")
@db_option
@click.option("--checkpoint", "checkpoint_path", type=click.Path(dir_okay=False),
              help="A signed checkpoint from 'audit checkpoint': also detect a truncated or rewritten tail.")
@click.option("--file", "log_file", type=click.Path(dir_okay=False, allow_dash=True),
              help="Verify an exported JSONL log on its own instead of the database ('-' for stdin).")
@click.option("--every-signature", is_flag=True,
              help="Check each event's own signature too (slower), to name exactly which one is bad.")
@listing_options
def verify(db_path: str | None, checkpoint_path: str | None, log_file: str | None, every_signature: bool,
           out: Output) -> None:
    """Recompute the hash chain, check every event's signature against its actor's registered key, check
    the append-only triggers, and compare every reviewer table with the replay of the log; exit 0 with the
    count and head hash, or 1 naming each problem.

    With --format jsonl, json or csv: one record (ok, count, head, first_bad_seq, problem, protection,
    disagreements, disagreement_count, signatures, signature_problem_count, checkpoint, checkpoint_problems),
    with the same exit status.
    """
    if log_file is not None and db_path is not None:
        raise click.UsageError("give --db or --file, not both")
    checkpoint = _read_checkpoint(checkpoint_path) if checkpoint_path else None
    if log_file is not None:
        checker = SignatureChecker(every=every_signature)
        try:
            with click.open_file(log_file, encoding="utf-8", errors="strict") as stream:
                result = verify_jsonl(stream, checkpoint=checkpoint, also=checker.feed)
        except OSError as exc:
            raise CannotVerify(f"cannot read {safe(log_file)}: {safe(exc.strerror or str(exc))}") from None
        except UnicodeDecodeError as exc:
            raise CannotVerify(f"{safe(log_file)} is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
        # A bare file carries no database identity nor tables; chain, signatures and checkpoint are checked.
        report = AuditReport(result, signatures=checker.finish(), signature_problem_count=checker.problem_count,
                             signed=checker.signed, legacy_unsigned=checker.legacy, keys=checker.keys,
                             verified=checker.verified)
        if not out.table:
            return _emit_record(out, result, checkpoint, report)
        _report_database(report, checkpoint, tables=False)
        return
    db = open_existing_db(db_path, CannotVerify)
    with read_snapshot(db):
        if checkpoint is not None and checkpoint.database_id is not None:
            actual = database_id(db)
            if actual != checkpoint.database_id:
                click.echo(f"FAILED: the checkpoint is for database {safe(checkpoint.database_id)},"
                           f" this is {safe(str(actual))}")
                raise SystemExit(1)
        report = verify_database(db, checkpoint=checkpoint, every_signature=every_signature)
    if not out.table:
        return _emit_record(out, report.chain, checkpoint, report)
    _report_database(report, checkpoint)


def _report_database(report: AuditReport, checkpoint: Checkpoint | None, *, tables: bool = True) -> None:
    checkpoint_failures = checkpoint_problems(checkpoint, report.keys) if checkpoint is not None else []
    legacy = f", {report.legacy_unsigned} from before signing" if report.legacy_unsigned else ""
    summary = (f"{report.signed} signed events by {len(report.keys)} registered keys{legacy}"
               f" ({report.verified} signatures checked, each vouching for its actor's events before it)"
               + ("; every reviewer table matches the log" if tables else ""))
    if report.ok and not checkpoint_failures:
        _report(report.chain, checkpoint)
        click.echo(summary)
        return
    result = report.chain
    if not result.ok:
        click.echo(f"FAILED at seq {result.first_bad_seq}: {safe(result.problem or 'unknown problem')}")
        click.echo(f"{result.count} events verified before it; last good hash {result.head}")
    else:
        click.echo(f"chain OK: {result.count} events, head {result.head}")
    for problem in checkpoint_failures:
        click.echo(f"FAILED: checkpoint: {safe(problem)}")
    for problem in report.protection:
        click.echo(f"FAILED: protection: {safe(problem)}")
    if report.protection:
        click.echo(f"  {REPAIR_HINT}")
    for problem in report.signatures:
        click.echo(f"FAILED: signature: {safe(problem)}")
    hidden = report.signature_problem_count - len(report.signatures)
    if hidden > 0:
        click.echo(f"... and {hidden} more signature problems")
    for problem in report.disagreements:
        click.echo(f"FAILED: {safe(problem)}")
    hidden = report.disagreement_count - len(report.disagreements)
    if hidden > 0:
        click.echo(f"... and {hidden} more disagreements between the tables and the log")
    raise SystemExit(1)


KEY_FIELDS = ["actor", "fingerprint", "registered_seq", "last_seq", "public_key"]


@audit.command("keys")
@db_option
@listing_options
def keys_command(db_path: str | None, out: Output) -> None:
    """The reviewers' registered signing keys, with fingerprints to compare with what each reviewer holds.

    A name anyone could register first (trust on first use): check that every name here belongs to your
    newsroom and that its fingerprint is the one its owner sees with 'workbench audit my-key'.
    """
    db = open_existing_db(db_path, CannotVerify)
    rows = [{"actor": actor, "fingerprint": fingerprint(key), "registered_seq": registered, "last_seq": last,
             "public_key": key}
            for actor, key, registered, last in db.execute(
                "SELECT actor, public_key, registered_seq, last_seq FROM reviewer_keys ORDER BY registered_seq")]
    out.emit(rows, [Column("actor"), Column("fingerprint"), Column("registered_seq", "registered at seq"),
                    Column("last_seq", "last event"), Column("public_key", priority=2)],
             title="registered signing keys", fields=KEY_FIELDS)
    out.close()


@audit.command("my-key")
@reviewer_option
def my_key_command(reviewer: str | None) -> None:
    """Your signing key's file and fingerprint (created now if you have none yet)."""
    signer = signer_for(current_user(reviewer))
    click.echo(f"{safe(signer.actor)}: key {fingerprint(signer.public_key)} at {safe(str(signer.path))}")


@audit.command("repair-triggers")
@db_option
@reviewer_option
def repair_triggers_command(db_path: str | None, reviewer: str | None) -> None:
    """Recreate the append-only triggers if they are missing or altered (recorded as an audited event)."""
    db = open_existing_db(db_path, readonly=False)
    repaired = repair_triggers(db, actor=current_user(reviewer))
    if not repaired:
        click.echo("the audit log's protection is intact: nothing to repair")
        return
    for problem in repaired:
        click.echo(f"repaired: {safe(problem)}")
    click.echo("run 'workbench audit verify' to check nothing was changed while it was missing")


@audit.command("checkpoint")
@db_option
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Where to write the checkpoint (default: standard output). Keep it outside the database.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@reviewer_option
def checkpoint(db_path: str | None, output: str | None, force: bool, reviewer: str | None) -> None:
    """Write the database's identity, event count and head hash, signed by you, after verifying everything."""
    db = open_existing_db(db_path, readonly=False)  # registers the signer's key on first use
    signer = signer_for(current_user(reviewer))
    try:
        with transaction(db):  # the signer's key must be in the log for the checkpoint to be checked against it
            register_key(db, signer.actor)
    except ProtectionMissing:
        pass  # the verification below reports it, and refuses
    with read_snapshot(db):
        report = verify_database(db)
        identity = database_id(db)
    if not report.ok:
        result = report.chain
        if not result.ok:
            click.echo(f"FAILED at seq {result.first_bad_seq}: {safe(result.problem or '')}", err=True)
        for problem in [*report.protection, *report.signatures, *report.disagreements][:20]:
            click.echo(f"FAILED: {safe(problem)}", err=True)
        click.echo("refusing to checkpoint a log that does not verify ('workbench audit verify' says why)", err=True)
        raise SystemExit(1)
    result = report.chain
    point = sign_checkpoint(Checkpoint(identity, result.count, result.head, now_utc(), __version__), signer)
    try:
        with open_output(output, force=force) as out:
            out.write(json.dumps(point.to_json(), indent=2))
            out.write("\n")
    except OutputRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"checkpoint: {result.count} events, head {result.head}, signed by {safe(signer.actor)}"
               f" (key {fingerprint(signer.public_key)})", err=True)
