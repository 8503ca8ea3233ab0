"""Exports: the audit log (JSONL, CSV), verdicts (ClaimReview, JSONL, CSV) and the editor's report.

Each ``export_*`` function reads from the store inside one read snapshot, in
batches, and writes as it goes, so memory stays bounded however large the
database is. The writers themselves are pure functions over iterables of rows
(:mod:`.audit_log`, :mod:`.verdicts`, :mod:`.report`); text safety lives in
:mod:`.text` and file safety in :mod:`.output`.
"""

from __future__ import annotations

from typing import TextIO

import sqlite_utils

from workbench.audit import ChainVerifier
from workbench.export.audit_log import write_audit_csv, write_audit_jsonl
from workbench.export.output import OutputRefused, check_output_path, open_output
from workbench.export.publishing import LEGACY_REVIEW_URL_KEY, Warn, publishing_settings
from workbench.export.report import ArticleSection, write_report
from workbench.export.verdicts import (
    active_scale,
    claimreview,
    verdict_record,
    write_claimreview,
    write_verdicts_csv,
    write_verdicts_jsonl,
)
from workbench.store import exports as queries
from workbench.store.audit import iter_events

AUDIT_FORMATS = ("jsonl", "csv")
VERDICT_FORMATS = ("claimreview", "jsonl", "csv")

__all__ = [
    "AUDIT_FORMATS", "VERDICT_FORMATS", "OutputRefused", "check_output_path", "open_output",
    "export_audit", "export_verdicts", "export_report",
]


def export_audit(
    db: sqlite_utils.Database,
    out: TextIO,
    fmt: str = "jsonl",
    *,
    verifier: ChainVerifier | None = None,
) -> int:
    """Write the whole audit log in ``fmt``; returns the number of events written.

    Pass a :class:`~workbench.audit.ChainVerifier` to check the chain in the
    same pass. A broken chain does not stop the export (the file is evidence),
    but the caller should say so: a JSONL file cannot carry every defect of the
    database (a non-canonical JSON text decodes to the same value), so an
    export of a damaged log must not pass for a good one.
    """
    if fmt not in AUDIT_FORMATS:
        raise ValueError(f"unknown audit export format {fmt!r}")

    def checked():
        for event in iter_events(db):
            if verifier is not None:
                verifier.feed(event)
            yield event

    with queries.read_snapshot(db):
        write = write_audit_jsonl if fmt == "jsonl" else write_audit_csv
        return write(checked(), out)


def export_verdicts(db: sqlite_utils.Database, out: TextIO, fmt: str = "claimreview", *,
                    warn: Warn | None = None) -> int:
    """Write the exported verdicts in ``fmt``; returns how many were written.

    ``warn`` receives what a ClaimReview export had to leave out or is missing
    (publisher, review URL, URLs that are not http(s)).
    """
    if fmt not in VERDICT_FORMATS:
        raise ValueError(f"unknown verdict export format {fmt!r}")
    warn = warn or (lambda _message: None)
    with queries.read_snapshot(db):
        scale = active_scale(queries.get_setting(db, "scale"))
        rows = queries.iter_exported_verdicts(db)
        if fmt == "claimreview":
            template = queries.get_setting(db, "review_url")
            if template is None:
                template = queries.get_setting(db, LEGACY_REVIEW_URL_KEY)
            publisher, template = publishing_settings(queries.get_setting(db, "publisher"), template, warn)
            return write_claimreview(
                (claimreview(row, scale, publisher=publisher, url_template=template,
                             appearances=queries.confirmed_appearances(db, row["claim_id"]), warn=warn)
                 for row in rows), out
            )
        records = (verdict_record(row, scale) for row in rows)
        return write_verdicts_jsonl(records, out) if fmt == "jsonl" else write_verdicts_csv(records, out)


def export_report(db: sqlite_utils.Database, out: TextIO, *, reviewed: bool = True) -> int:
    """Write the Markdown report; returns the number of articles in it.

    ``reviewed`` (the default): only claims with a verdict, after a summary table of every
    article with a reviewed claim; ``reviewed=False``: every claim.
    """
    with queries.read_snapshot(db):
        scale = active_scale(queries.get_setting(db, "scale"))

        def sections():
            for article in queries.iter_report_articles(db, reviewed=reviewed):
                claims = queries.article_claims(db, article["id"], reviewed=reviewed)
                ids = [claim["id"] for claim in claims]
                yield ArticleSection(article, claims, queries.claim_verdicts(db, ids), queries.claim_links(db, ids))

        return write_report(sections(), out, scale=scale, summary=queries.iter_report_summary(db, reviewed=reviewed),
                            reviewed=reviewed)
