"""The order of the stages: read -> analyse -> store -> link. The CLI and the TUI both call this.

Articles are written in batches, each article inside its own savepoint, so a
bad article cannot sink its neighbours and a killed import leaves whole
articles only: re-running it skips what is stored (same bytes) and finishes
the rest. Linking is a stage of its own, resumable too: an article is marked
``linked`` in the same transaction that stores its links.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlite_utils

from workbench import dedup
from workbench.claims.analyse import analyse
from workbench.claims.checkworthy import DEFAULT_THRESHOLD
from workbench.claims.entities import EntityMatcher
from workbench.ingest import DEFAULT_MAX_BYTES, iter_input_files, read_document
from workbench.linking import LinkConfig, LinkRules, LinkIndex, Relatedness, StoryRules, StoryView, assign_stories, merge_links
from workbench.model import ParsedArticle, Refusal
from workbench.store import articles as store_articles
from workbench.store import entities as store_entities
from workbench.store import links as store_links
from workbench.store import statements as store_statements
from workbench.store import stories as store_stories
from workbench.store.db import transaction
from workbench.store.settings import get_setting

# A batch commits after this many articles or seconds, whichever comes first:
# long enough to amortise the fsync, short enough not to keep reviewers waiting.
BATCH_ARTICLES = 200
BATCH_SECONDS = 0.5
# Analysis costs about 20 s per megabyte of one unbroken line, and runs inside the
# batch's write transaction; a longer line is a dump, not an article, and is refused
# so an import's time stays bounded (tests/test_reliability_inputs.py measures it).
MAX_LINE_CHARS = 2_000_000
# Incremental linking holds the write lock while it scores, so it works in small
# chunks: a reviewer's save waits for one chunk at most (well under a second).
LINK_CHUNK = 20
# Above this share of new articles a full relink is cheaper than incremental linking.
FULL_RELINK_SHARE = 0.25


@dataclass
class ImportReport:
    files: int = 0
    bytes_read: int = 0
    imported: list[int] = field(default_factory=list)
    already: list[tuple[str, int]] = field(default_factory=list)  # (path, article id) for bytes stored before
    near_duplicates: list[tuple[int, int]] = field(default_factory=list)  # (article id, duplicate of)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    links: int = 0  # links stored in the database once the import is linked
    seconds: float = 0.0


def claim_threshold(db: sqlite_utils.Database) -> float:
    return float(get_setting(db, "claim_threshold", DEFAULT_THRESHOLD))


def link_config(db: sqlite_utils.Database) -> LinkConfig:
    """The linker's knobs, with the database's ``link_config`` overrides (selection knobs or rules)."""
    config = LinkConfig()
    overrides = get_setting(db, "link_config", {}) or {}
    rules = {k: v for k, v in overrides.items() if k in LinkRules.__dataclass_fields__}
    if rules:
        config.rules = replace(config.rules, **rules)
    for key, value in overrides.items():
        if key in LinkConfig.__dataclass_fields__ and key != "rules":
            setattr(config, key, value)
    return config


class Pipeline:
    """One importer/annotator/linker bound to a database and an actor."""

    def __init__(self, db: sqlite_utils.Database, *, actor: str):
        self.db = db
        self.actor = actor
        self._matcher: EntityMatcher | None = None
        self._topics: frozenset[int] = frozenset()
        self._organisations: frozenset[int] = frozenset()
        self._people: frozenset[int] = frozenset()
        # Stored articles' fingerprints met as near-duplicate candidates: a feed's copies
        # keep meeting the same few originals, whose text need not be normalised again.
        self._candidate_prints: dict[int, dedup.Fingerprint] = {}

    # -- entity matching ------------------------------------------------------
    @property
    def matcher(self) -> EntityMatcher:
        if self._matcher is None:
            self._matcher = EntityMatcher(store_entities.all_aliases(self.db))
            self._topics = store_entities.topic_ids(self.db)
            self._organisations = store_entities.organisation_ids(self.db)
            self._people = store_entities.person_ids(self.db)
        return self._matcher

    @property
    def topics(self) -> frozenset[int]:
        """Ids of subject-term entities, read with the aliases the matcher was built from."""
        self.matcher  # noqa: B018 -- builds both together
        return self._topics

    @property
    def organisations(self) -> frozenset[int]:
        """Ids of the organisations, for coreference ("the company" = Tesla)."""
        self.matcher  # noqa: B018 -- builds them together
        return self._organisations

    @property
    def people(self) -> frozenset[int]:
        """Ids of the people, for claimants (他 = the person who spoke last)."""
        self.matcher  # noqa: B018 -- builds them together
        return self._people

    def apply_new_aliases(self, aliases: Iterable[str]) -> set[int]:
        """Re-find mentions in stored statements that contain any of ``aliases``.

        Used when a user adds an alias and when a recurring term becomes a
        candidate entity, so annotations of articles imported earlier catch up.
        The articles concerned are analysed again, whole: a new mention can make
        a statement check-worthy or resolve "the company", and an article must
        end up as if it had been imported with these aliases, whenever the
        importer's batch happened to commit (two identical imports store
        identical statements and links). Returns the ids of the articles whose
        mentions changed (they need relinking). Runs inside the caller's transaction.
        """
        aliases = sorted({a for a in aliases if a.strip()})
        if not aliases:
            return set()
        self._matcher = None  # rebuilt with the new aliases
        touched: set[int] = set()
        for alias in aliases:
            touched.update(sid for sid, _start, _text in store_statements.statements_containing(self.db, alias))
        changed_articles: set[int] = set()
        if touched:
            changed_articles = store_statements.article_ids_of(self.db, touched)
            threshold = claim_threshold(self.db)
            for article_id in sorted(changed_articles):
                _revision, analysis = self._reanalyse(article_id, threshold)
                store_statements.save_statements(self.db, article_id, analysis.statements)
            store_articles.mark_linked(self.db, changed_articles, linked=False)
        return changed_articles

    # -- import -----------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[str | os.PathLike],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Callable[[Path, int], None] | None = None,
        link: bool = True,
    ) -> ImportReport:
        """Import files and folders; ``progress(path, size)`` is called after each file."""
        report = ImportReport()
        started = time.perf_counter()
        threshold = claim_threshold(self.db)
        batch: list[tuple[str, Callable[[], None]]] = []
        pending_aliases: set[str] = set()
        seen_in_batch: set[str] = set()
        batch_started = time.perf_counter()

        def flush() -> None:
            nonlocal batch_started
            if not batch and not pending_aliases:
                return
            with transaction(self.db):
                for label, work in batch:
                    try:
                        with self.db.atomic():  # a savepoint: one article, all or nothing
                            work()
                    except Exception as exc:  # a bug must not sink the other articles: refuse this one
                        reason = f"internal error while importing: {type(exc).__name__}: {exc}"
                        report.refused.append((label, " ".join(reason.split())))
                        store_articles.record_refusal(self.db, label, report.refused[-1][1], actor=self.actor)
                if pending_aliases:
                    self.apply_new_aliases(pending_aliases)
            batch.clear()
            pending_aliases.clear()
            seen_in_batch.clear()
            batch_started = time.perf_counter()

        for path in iter_input_files(paths):
            report.files += 1
            name = str(path)
            try:
                size = path.stat().st_size
                if size > max_bytes:
                    raise Refusal(f"larger than {max_bytes:,} bytes ({size:,}); raise --max-bytes to import it")
                data = path.read_bytes()
                report.bytes_read += len(data)
                parsed_list = read_document(name, data)
            except Refusal as exc:
                self._refuse(report, batch, name, str(exc))
            except OSError as exc:
                self._refuse(report, batch, name, f"cannot read: {exc.strerror or exc}")
            else:
                for parsed in parsed_list:
                    if isinstance(parsed, Refusal):  # one bad record of a JSON/JSONL file
                        self._refuse(report, batch, name, str(parsed))
                    else:
                        self._plan_article(parsed, report, batch, pending_aliases, seen_in_batch, threshold)
            if progress:
                progress(path, report.bytes_read)
            if len(batch) >= BATCH_ARTICLES or time.perf_counter() - batch_started > BATCH_SECONDS:
                flush()
        flush()
        report.already = [(path, store_articles.article_by_sha(self.db, sha)["id"]) for path, sha in report.already]
        if link:
            self.link_pending()
            # What is stored, not what the linker wrote on the way: incremental
            # linking rewrites a claim's links once per chunk that touches it.
            report.links = store_links.count_links(self.db)
        report.seconds = time.perf_counter() - started
        return report

    def _refuse(self, report: ImportReport, batch: list, path: str, reason: str) -> None:
        reason = " ".join(reason.split())  # always one line
        report.refused.append((path, reason))
        batch.append((path, lambda: store_articles.record_refusal(self.db, path, reason, actor=self.actor)))

    def _plan_article(self, parsed: ParsedArticle, report: ImportReport, batch: list, pending_aliases: set[str],
                      seen_in_batch: set[str], threshold: float) -> None:
        longest = max(map(len, parsed.clean_text.split("\n")))
        if longest > MAX_LINE_CHARS:
            record = f"record {parsed.record}: " if parsed.record else ""
            self._refuse(report, batch, parsed.path, f"{record}one line of {longest:,} characters (over "
                         f"{MAX_LINE_CHARS:,}) would take minutes to analyse; split it into lines or paragraphs")
            return
        sha = hashlib.sha256(parsed.raw).hexdigest()
        existing = store_articles.article_by_sha(self.db, sha)
        if existing or sha in seen_in_batch:
            report.already.append((parsed.path, sha))  # resolved to an article id once the batch is stored
            return
        seen_in_batch.add(sha)
        # The analysis is pure: run it now, outside the write transaction, so the
        # batch clock (BATCH_SECONDS) counts it and the write lock is held only
        # for the inserts (reviewers saving verdicts wait milliseconds, not the
        # whole batch's analysis; a killed import keeps every committed batch).
        try:
            prints = dedup.fingerprint(parsed.clean_text)
            analysis = analyse(parsed.clean_text, published=parsed.published, matcher=self.matcher,
                               language=parsed.language, threshold=threshold, topics=self.topics,
                               organisations=self.organisations, people=self.people, author=parsed.author,
                               site=parsed.site)
        except Exception as exc:  # a bug must not sink the other articles: refuse this one
            self._refuse(report, batch, parsed.path, f"internal error while importing: {type(exc).__name__}: {exc}")
            return

        def work() -> None:
            if store_articles.article_by_sha(self.db, sha):  # another process stored the same bytes meanwhile
                report.already.append((parsed.path, sha))
                return
            duplicate_of, similarity = self._near_duplicate(prints)
            article_id = store_articles.insert_article(
                self.db, parsed, sha256=sha, fingerprints=prints.prints, duplicate_of=duplicate_of,
                duplicate_similarity=similarity, actor=self.actor)
            store_statements.save_statements(self.db, article_id, analysis.statements)
            for name, _start, _end in analysis.name_candidates:
                store_entities.candidate_entity(self.db, name, "name")
                pending_aliases.add(name)
            for term in store_entities.record_terms(self.db, article_id, analysis.terms):
                store_entities.candidate_entity(self.db, term, "term")
                pending_aliases.add(term)
            report.imported.append(article_id)
            if duplicate_of is not None:
                report.near_duplicates.append((article_id, duplicate_of))

        batch.append((parsed.path, work))

    def _near_duplicate(self, prints: dedup.Fingerprint) -> tuple[int | None, float | None]:
        for candidate in store_articles.near_duplicate_candidates(self.db, prints.prints, dedup.MIN_SHARED,
                                                                  dedup.MIN_SHARED_COUNT):
            other_text, other_dup = store_articles.article_text(self.db, candidate)
            other = self._candidate_prints.get(candidate)
            if other is None:
                if len(self._candidate_prints) >= 4096:
                    self._candidate_prints.clear()
                other = self._candidate_prints[candidate] = dedup.Fingerprint(
                    dedup.normalise(other_text), store_articles.stored_fingerprints(self.db, candidate))
            score = dedup.compare(prints, other)
            if score >= dedup.DUPLICATE_SIMILARITY:
                return (other_dup or candidate), round(score, 4)
        return None, None

    # -- re-analysis ---------------------------------------------------------------
    def reprocess(self, article_ids: Iterable[int] | None = None) -> int:
        """Re-run segmentation and annotation for stored articles (ids of statements are kept).

        Articles are analysed outside the write lock and stored a chunk at a
        time; an article corrected by someone else in between is analysed
        again under the lock, so the stored statements always match the
        stored metadata.
        """
        ids = list(article_ids) if article_ids is not None else store_articles.article_ids(self.db)
        threshold = claim_threshold(self.db)
        for i in range(0, len(ids), LINK_CHUNK):
            planned = [(article_id, *self._reanalyse(article_id, threshold)) for article_id in ids[i:i + LINK_CHUNK]]
            with transaction(self.db):
                for article_id, revision, analysis in planned:
                    current, fresh = self._reanalyse(article_id, threshold, unless_revision=revision)
                    store_statements.save_statements(self.db, article_id, (fresh or analysis).statements)
                store_articles.mark_linked(self.db, [article_id for article_id, _r, _a in planned], linked=False)
        self.link_pending()
        return len(ids)

    def _reanalyse(self, article_id: int, threshold: float, unless_revision: int | None = None):
        """(revision, analysis) of a stored article; analysis None when its revision is ``unless_revision``."""
        row = store_articles.analysis_input(self.db, article_id)
        if row is None:
            raise ValueError(f"no article {article_id}")
        if row[3] == unless_revision:
            return row[3], None
        analysis = analyse(row[0], published=row[1], matcher=self.matcher, language=row[2], threshold=threshold,
                           topics=self.topics, organisations=self.organisations, people=self.people, author=row[4],
                           site=row[5])
        return row[3], analysis

    # -- linking -----------------------------------------------------------------
    def link_pending(self) -> int:
        """Link the articles not linked yet: incrementally, or all at once when most are new."""
        pending = store_articles.pending_ids(self.db)
        if not pending:
            return 0
        written = 0
        if len(pending) > max(BATCH_ARTICLES, FULL_RELINK_SHARE * store_articles.article_count(self.db)):
            written = self.relink_all()
            # articles another process stored while relink_all scored are left pending: link them now
            pending = store_articles.pending_ids(self.db)
        for i in range(0, len(pending), LINK_CHUNK):
            written += self._link_incremental(pending[i:i + LINK_CHUNK])
        return written

    def _stories(self, new_ids: Iterable[int] | None) -> tuple[dict, StoryView]:
        """Group articles into stories (all of them when *new_ids* is None, else the new ones
        join or start a story) and the view the scorer reads. Returns the assignment to store."""
        rules = StoryRules()
        kinds = store_stories.entity_kinds(self.db)
        df, total = store_stories.article_entity_df(self.db)
        related = Relatedness(store_stories.article_profiles(self.db, rules, kinds), rules, df, total)
        if new_ids is None:
            existing, next_id, new = {}, 1, sorted(related.profiles)
        else:
            new = sorted(set(new_ids))
            existing = {s: [a for a in arts if a not in set(new)] for s, arts in store_stories.members(self.db).items()}
            next_id = store_stories.next_story_id(self.db)
        assignment = assign_stories(new, related, existing, next_id)
        story_of = {a: s for s, arts in existing.items() for a in arts}
        story_of.update({a: s for a, (s, _r) in assignment.items()})
        return assignment, StoryView(story_of, related)

    def _link_incremental(self, article_ids: list[int]) -> int:
        config = link_config(self.db)
        with transaction(self.db):
            assignment, stories = self._stories(article_ids)
            store_stories.forget(self.db, article_ids)
            store_stories.save_assignment(self.db, assignment)
            kinds = store_stories.entity_kinds(self.db)
            new_items = store_links.link_items(self.db, article_ids=article_ids)
            new_ids = {item.statement_id for item in new_items}
            entity_ids = set().union(*(item.entities for item in new_items)) if new_items else set()
            other_ids = [s for s in store_links.statements_mentioning(self.db, entity_ids) if s not in new_ids]
            others = store_links.link_items(self.db, statement_ids=other_ids) if other_ids else []
            df, total = store_links.entity_document_frequency(self.db)
            # the new claims against everything that shares an entity with them
            index = LinkIndex(config, entity_df=df, total=total, kinds=kinds, stories=stories)
            index.add(others)
            index.add(new_items)
            new_claims = [item for item in new_items if item.is_claim]
            written = store_links.save_links(self.db, [c.statement_id for c in new_claims], index.link(new_claims))
            # the stored claims against the new statements only, merged with what they had
            old_claims = [item for item in others if item.is_claim]
            if old_claims and new_items:
                fresh = LinkIndex(config, entity_df=df, total=total, kinds=kinds, stories=stories)
                fresh.add(new_items)
                found = fresh.link(old_claims)
                touched = sorted({link.claim_id for link in found})
                merged = merge_links(store_links.existing_links(self.db, touched), found, config)
                written += store_links.save_links(self.db, touched, merged)
            store_articles.mark_linked(self.db, article_ids)
        return written

    def relink_all(self) -> int:
        """Recompute every suggested link from scratch (reviewer decisions are kept).

        Scoring runs outside the write lock, so another process may store (and
        link) an article meanwhile: only the articles read are marked linked,
        and any other is marked pending, since its suggested links were just
        replaced by ones computed without it.
        """
        config = link_config(self.db)
        read = set(store_articles.article_ids(self.db))  # before the statements: a newer one is relinked later
        items = store_links.link_items(self.db)
        df, total = store_links.entity_document_frequency(self.db)
        assignment, stories = self._stories(None)
        index = LinkIndex(config, entity_df=df, total=total, kinds=store_stories.entity_kinds(self.db),
                          stories=stories)
        index.add(items)
        claims = [item for item in items if item.is_claim]
        links = index.link(claims)
        with transaction(self.db):
            store_links.clear_suggested_links(self.db)
            store_stories.clear(self.db)
            store_stories.save_assignment(self.db, assignment)
            written = store_links.save_links(self.db, [c.statement_id for c in claims], links)
            store_articles.mark_linked(self.db, read)
            store_articles.mark_linked(self.db, set(store_articles.article_ids(self.db)) - read, linked=False)
        return written
