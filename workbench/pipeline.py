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
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlite_utils

from workbench import dedup, prepare
from workbench.claims.analyse import analyse
from workbench.claims.entities import EntityMatcher
from workbench.executors import InlineExecutor, workers
from workbench.ingest import DEFAULT_MAX_BYTES, iter_input_files
from workbench.ingest.names import stored_name
from workbench.isolation import read_input, reason_of
from workbench.linking import LinkConfig, LinkRules, LinkIndex, Relatedness, StoryRules, StoryView, assign_stories, merge_links
from workbench.model import EntityType
from workbench.store import articles as store_articles
from workbench.store import entities as store_entities
from workbench.store import links as store_links
from workbench.store import statements as store_statements
from workbench.store import stories as store_stories
from workbench.store.db import transaction
from workbench.store import settings

# A batch of files commits at once: long enough to amortise the fsync, short enough for
# reviewers to see articles arrive. Its bounds are counts, never the clock: each batch is
# analysed with the entities known when the one before the last was stored, so the same
# files give the same database however fast (or on how many workers) they were analysed.
BATCH_FILES = 200
BATCH_BYTES = 8 * 1024 * 1024
# Files per task shipped to a worker: enough to amortise the round trip, few enough
# that a batch keeps every worker busy.
TASK_FILES = 8
TASK_BYTES = 1024 * 1024
# Incremental linking is worth it below this many new articles (and FULL_RELINK_SHARE).
LINK_ALL_ARTICLES = 200
MAX_LINE_CHARS = prepare.MAX_LINE_CHARS
# Incremental linking holds the write lock while it scores, so it works in small
# chunks: a reviewer's save waits for one chunk at most (well under a second).
LINK_CHUNK = 20
# Above this share of new articles a full relink is cheaper than incremental linking.
FULL_RELINK_SHARE = 0.25


# progress(stage, done, total): long work tells how far it got (the CLI draws it; the core never does)
Progress = Callable[[str, int, int], None]


@dataclass
class _Entry:
    """One input file as read by the writer: its bytes to analyse, a refusal, or bytes stored before."""

    path: Path
    data: bytes | None = None
    refusal: str | None = None
    already: str | None = None  # sha256 of bytes stored before
    size: int = 0


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
    return float(settings.get(db, "claim_threshold"))


def link_config(db: sqlite_utils.Database) -> LinkConfig:
    """The linker's knobs, with the database's ``link_config`` overrides (selection knobs or rules)."""
    config = LinkConfig()
    overrides = settings.get(db, "link_config") or {}
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
        self._named: list[str] | None = None  # aliases of gazetteer and user entities, case-folded
        self._topics: frozenset[int] = frozenset()
        self._organisations: frozenset[int] = frozenset()
        self._people: frozenset[int] = frozenset()
        # Stored articles' fingerprints met as near-duplicate candidates: a feed's copies
        # keep meeting the same few originals, whose text need not be normalised again.
        self._candidate_prints: dict[int, dedup.Fingerprint] = {}
        # The analysis context shipped to workers, and its version (workers rebuild on a new one).
        self._context: prepare.Context | None = None
        self._alias_log: list[str] = []  # candidate aliases added by imports, in order
        self._token = uuid.uuid4().hex
        self._generation = 0

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

    def apply_new_aliases(self, aliases: Iterable[str], executor: Executor | None = None, *,
                          late: Iterable[str] = (), late_articles: Iterable[int] = ()) -> set[int]:
        """Re-find mentions in stored statements that contain any of ``aliases``.

        Used when a user adds an alias and when a recurring term becomes a
        candidate entity, so annotations of articles imported earlier catch up.
        The articles concerned are analysed again, whole: a new mention can make
        a statement check-worthy or resolve "the company", and an article must
        end up as if it had been imported with these aliases, whenever the
        importer's batch happened to commit (two identical imports store
        identical statements and links). Returns the ids of the articles whose
        mentions changed (they need relinking). Runs inside the caller's transaction;
        the import passes its executor, so the articles are analysed on its workers.
        ``late`` aliases were applied to everything stored before ``late_articles``
        were analysed: only those articles are looked at for them.
        """
        aliases = sorted({a for a in aliases if a.strip()})
        late = sorted({a for a in late if a.strip()} - set(aliases))
        late_articles = set(late_articles)
        if not aliases and not (late and late_articles):
            return set()
        self._matcher = None  # rebuilt with the new aliases
        touched: set[int] = set()
        for alias in aliases:
            touched.update(sid for sid, _start, _text in store_statements.statements_containing(self.db, alias))
        changed_articles = store_statements.article_ids_of(self.db, touched) if touched else set()
        if late and late_articles:
            touched_late: set[int] = set()
            for alias in late:
                touched_late.update(sid for sid, _s, _t in store_statements.statements_containing(self.db, alias))
            changed_articles |= store_statements.article_ids_of(self.db, touched_late) & late_articles
        if changed_articles:
            self._context = None  # with the new aliases
            ordered = sorted(changed_articles)
            for article_id, analysis in zip(ordered, self._analyse_stored(ordered, executor)):
                store_statements.save_statements(self.db, article_id, analysis.statements)
            store_articles.mark_linked(self.db, changed_articles, linked=False)
        return changed_articles

    # -- import -----------------------------------------------------------------
    def analysis_context(self) -> prepare.Context:
        """The entities and threshold the analysis uses now (rebuilt after new aliases)."""
        if self._context is None:
            self._generation += 1
            self._context = prepare.Context(
                version=(self._token, self._generation), aliases=tuple(store_entities.all_aliases(self.db)),
                topics=store_entities.topic_ids(self.db), organisations=store_entities.organisation_ids(self.db),
                threshold=claim_threshold(self.db), people=store_entities.person_ids(self.db))
        return self._context

    def import_paths(
        self,
        paths: Iterable[str | os.PathLike],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Callable[[Path, int, ImportReport], None] | None = None,
        link: bool = True,
        executor: Executor | None = None,
        link_progress: Progress | None = None,
        follow_symlinks: bool = False,
    ) -> ImportReport:
        """Import files and folders; ``progress(path, bytes, report)`` is called after each file is stored.

        This process reads the files; ``executor`` (default: this process, one
        at a time) parses and analyses them (:func:`workbench.prepare.prepare_files`),
        and this process stores the results in file order. A batch is analysed
        while the one before it is stored, with the entities known once the
        batch before that was stored, whatever the executor: so the database
        is the same with any number of workers. ``follow_symlinks`` follows
        symlinks that leave the folders given (loops never; see ``ingest.files``).
        """
        report = ImportReport()
        started = time.perf_counter()
        executor = executor or InlineExecutor()
        self._context = None  # aliases or the threshold may have changed since the last import
        in_flight = None
        for batch in self._read_batches(paths, max_bytes, report, follow_symlinks):
            submitted = (batch, len(self._alias_log), self._submit(executor, batch))
            if in_flight is not None:
                self._store_batch(*in_flight, report, progress, executor)
            in_flight = submitted
        if in_flight is not None:
            self._store_batch(*in_flight, report, progress, executor)
        report.already = [(path, store_articles.article_by_sha(self.db, sha)["id"]) for path, sha in report.already]
        if link:
            self.link_pending(executor=executor, progress=link_progress)
            # What is stored, not what the linker wrote on the way: incremental
            # linking rewrites a claim's links once per chunk that touches it.
            report.links = store_links.count_links(self.db)
        report.seconds = time.perf_counter() - started
        return report

    def _read_batches(self, paths, max_bytes: int, report: ImportReport,
                      follow_symlinks: bool = False) -> Iterator[list[_Entry]]:
        """The input files in batches, read: (path, bytes), or a refusal, or bytes stored before."""
        batch: list[_Entry] = []
        size = 0
        for path in iter_input_files(paths, follow_symlinks=follow_symlinks):
            report.files += 1
            entry = self._read(path, max_bytes, report)
            batch.append(entry)
            size += len(entry.data or b"")
            if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def _read(self, path: Path, max_bytes: int, report: ImportReport) -> _Entry:
        try:  # a FIFO, socket or device, a symlink out of the folder: refused, never read (isolation)
            data = read_input(path, max_bytes)
        except Exception as exc:  # noqa: BLE001 -- this file's refusal, never the batch's
            return _Entry(path, refusal=reason_of(exc))
        report.bytes_read += len(data)
        # A one-article file is stored as its bytes: when they are stored already (re-running
        # an interrupted import), the file is not analysed again.
        sha = hashlib.sha256(data).hexdigest()
        if store_articles.article_by_sha(self.db, sha):
            return _Entry(path, already=sha, size=len(data))
        return _Entry(path, data=data, size=len(data))

    def _submit(self, executor: Executor, batch: list[_Entry]) -> list[tuple[list[_Entry], Future]]:
        """Ship the batch's files to the executor in tasks of a few files, with the current context."""
        context = self.analysis_context()
        tasks, files, size = [], [], 0
        for entry in batch:
            if entry.data is None:
                continue
            files.append(entry)
            size += len(entry.data)
            if len(files) >= TASK_FILES or size >= TASK_BYTES:
                tasks.append(files)
                files, size = [], 0
        if files:
            tasks.append(files)
        return [(task, executor.submit(prepare.prepare_files, context, [(stored_name(e.path), e.data) for e in task]))
                for task in tasks]

    def _store_batch(self, batch: list[_Entry], known_aliases: int, tasks: list[tuple[list[_Entry], Future]],
                     report: ImportReport, progress: Callable[[Path, int, ImportReport], None] | None,
                     executor: Executor) -> None:
        """Store one batch's results in file order, in one transaction, each article in its own savepoint.

        ``known_aliases`` is how much of the alias log the batch's analysis
        knew: aliases added since (while the batch before was stored) are
        applied to this batch too, as to everything stored before it.
        """
        prepared: dict[int, list[prepare.Prepared | prepare.Refused]] = {}
        for entries, future in tasks:  # wait for the workers before taking the write lock
            try:
                results = future.result()
            except BrokenExecutor:
                raise
            except Exception as exc:  # a task lost in transit (pickling, a worker's error): refuse its files
                results = [prepare.PreparedFile(stored_name(e.path), len(e.data), [prepare.Refused(prepare.internal_error(exc))])
                           for e in entries]
            for entry, result in zip(entries, results):
                prepared[id(entry)] = result.items
        pending_aliases: set[str] = set()
        stored_before = len(report.imported)
        with transaction(self.db):
            for entry in batch:
                name = stored_name(entry.path)  # text that round-trips, whatever the name's bytes
                if entry.refusal is not None:
                    self._store_refusal(report, name, entry.refusal)
                elif entry.already is not None:
                    report.already.append((name, entry.already))
                else:
                    for item in prepared[id(entry)]:
                        if isinstance(item, prepare.Refused):
                            self._store_refusal(report, name, item.reason)
                            continue
                        try:
                            with self.db.atomic():  # a savepoint: one article, all or nothing
                                self._store_article(item, report, pending_aliases)
                        except sqlite3.OperationalError:  # the database itself (a full disk, I/O): not this article
                            raise
                        except Exception as exc:  # a bug must not sink the other articles: refuse this one
                            self._store_refusal(report, name, prepare.internal_error(exc))
                if progress:
                    progress(entry.path, entry.size, report)
            missed = set(self._alias_log[known_aliases:])
            if pending_aliases:
                self._alias_log.extend(sorted(pending_aliases))
                self._context = None  # the next batch is analysed with them
            if pending_aliases or missed:
                # this batch was analysed before the missed aliases existed; all else has them
                self.apply_new_aliases(pending_aliases, executor, late=missed,
                                       late_articles=report.imported[stored_before:])

    def _analyse_stored(self, article_ids: list[int], executor: Executor | None) -> list:
        """Analyses of stored articles with the current entities, in order, run on ``executor``."""
        context = self.analysis_context()
        inputs = []
        for article_id in article_ids:
            row = store_articles.analysis_input(self.db, article_id)
            if row is None:
                raise ValueError(f"no article {article_id}")
            inputs.append((*row[:3], row[4], row[5]))  # author and site name the claimant of a claim nobody makes
        executor = executor or InlineExecutor()
        futures = [executor.submit(prepare.analyse_texts, context, inputs[i:i + TASK_FILES])
                   for i in range(0, len(inputs), TASK_FILES)]
        return [analysis for future in futures for analysis in future.result()]

    def _store_refusal(self, report: ImportReport, path: str, reason: str) -> None:
        reason = " ".join(reason.split())  # always one line
        report.refused.append((path, reason))
        store_articles.record_refusal(self.db, path, reason, actor=self.actor)

    def _shadows_a_name(self, term: str) -> bool:
        """A discovered term that contains a gazetteer or user name (特斯拉汽车 contains 特斯拉) would
        replace that name wherever it occurs (the longest match wins): it is never a candidate."""
        if self._named is None:
            self._named = store_entities.named_aliases(self.db)
        folded = term.casefold()
        return any(alias in folded for alias in self._named)

    def _store_article(self, item: prepare.Prepared, report: ImportReport, pending_aliases: set[str]) -> None:
        parsed, sha, prints, analysis = item.parsed, item.sha256, item.prints, item.analysis
        if store_articles.article_by_sha(self.db, sha):  # stored earlier in this batch, or by another process
            report.already.append((parsed.path, sha))
            return
        duplicate_of, similarity = self._near_duplicate(prints)
        article_id = store_articles.insert_article(
            self.db, parsed, sha256=sha, fingerprints=prints.prints, duplicate_of=duplicate_of,
            duplicate_similarity=similarity, actor=self.actor)
        store_statements.save_statements(self.db, article_id, analysis.statements)
        for name, _start, _end in analysis.name_candidates:
            if self._shadows_a_name(name):
                continue
            store_entities.candidate_entity(self.db, name, EntityType.OTHER)
            pending_aliases.add(name)
        for term in store_entities.record_terms(self.db, article_id, analysis.terms):
            if self._shadows_a_name(term):
                continue
            store_entities.candidate_entity(self.db, term, EntityType.OTHER)
            pending_aliases.add(term)
        report.imported.append(article_id)
        if duplicate_of is not None:
            report.near_duplicates.append((article_id, duplicate_of))

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
    def reprocess(self, article_ids: Iterable[int] | None = None, progress: Progress | None = None) -> int:
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
            if progress:
                progress("reprocessing articles", min(i + LINK_CHUNK, len(ids)), len(ids))
        self.link_pending(progress=progress)
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
    def link_pending(self, executor: Executor | None = None, progress: Progress | None = None) -> int:
        """Link the articles not linked yet: incrementally, or all at once when most are new.

        A full relink scores its claims on ``executor`` (in shards), when it has several workers.
        ``progress(stage, done, total)`` is told the claims or articles linked so far.
        """
        pending = store_articles.pending_ids(self.db)
        if not pending:
            return 0
        written = 0
        if len(pending) > max(LINK_ALL_ARTICLES, FULL_RELINK_SHARE * store_articles.article_count(self.db)):
            written = self.relink_all(executor, progress)
            # articles another process stored while relink_all scored are left pending: link them now
            pending = store_articles.pending_ids(self.db)
        for i in range(0, len(pending), LINK_CHUNK):
            written += self._link_incremental(pending[i:i + LINK_CHUNK])
            if progress:
                progress("linking articles", min(i + LINK_CHUNK, len(pending)), len(pending))
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
                fresh.count_words(others)  # word rarity over what the first pass read, as a relink would
                found = fresh.link(old_claims)
                touched = sorted({link.claim_id for link in found})
                merged = merge_links(store_links.existing_links(self.db, touched), found, config)
                written += store_links.save_links(self.db, touched, merged)
            store_articles.mark_linked(self.db, article_ids)
        return written

    def relink_all(self, executor: Executor | None = None, progress: Progress | None = None) -> int:
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
        links = _link_claims(index, claims, executor, progress)
        with transaction(self.db):
            store_links.clear_suggested_links(self.db)
            store_stories.clear(self.db)
            store_stories.save_assignment(self.db, assignment)
            written = store_links.save_links(self.db, [c.statement_id for c in claims], links)
            store_articles.mark_linked(self.db, read)
            store_articles.mark_linked(self.db, set(store_articles.article_ids(self.db)) - read, linked=False)
        return written


# Below this many claims, shipping the index to workers costs more than scoring here.
LINK_SHARD_MIN_CLAIMS = 400
PROGRESS_CLAIMS = 500  # claims scored between two progress reports


def _link_claims(index: LinkIndex, claims: list, executor: Executor | None, progress: Progress | None = None) -> list:
    """``index.link(claims)``, split into contiguous shards of claims across the executor's workers.

    Each claim is scored on its own against the same index, and the index
    returns links grouped by claim id in ascending order, so the shards'
    links concatenated in order are exactly the links of one call.
    """
    ordered = sorted(claims, key=lambda c: c.statement_id)
    shards = min(workers(executor), len(claims) // LINK_SHARD_MIN_CLAIMS)
    if progress:
        progress("linking claims", 0, len(ordered))
    if shards <= 1:  # here, in slices only so progress can be told
        step = PROGRESS_CLAIMS if progress else max(len(ordered), 1)
        out = []
        for i in range(0, len(ordered), step):
            out.extend(index.link(ordered[i:i + step]))
            if progress:
                progress("linking claims", min(i + step, len(ordered)), len(ordered))
        return out
    size = -(-len(ordered) // shards)
    futures = [executor.submit(link_shard, index, ordered[i:i + size]) for i in range(0, len(ordered), size)]
    out = []
    for number, future in enumerate(futures, 1):
        out.extend(future.result())
        if progress:
            progress("linking claims", min(number * size, len(ordered)), len(ordered))
    return out


def link_shard(index: LinkIndex, claims: list) -> list:
    """One worker's share of a full relink (a module-level function, so workers can import it)."""
    return index.link(claims)
