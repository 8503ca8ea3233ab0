"""The claim queue: a virtual list that renders only the visible rows of a SQL-paged queue.

A queue may hold 100,000 claims; loading them into a DataTable would take
seconds and megabytes. Like Textualize/toolong's ``log_lines.py``, this is a
:class:`~textual.scroll_view.ScrollView` whose virtual height is the row
count and whose :meth:`render_line` asks a page source for the row it needs.
Pages of rows come from SQL (``queue_page``) and are kept in a small LRU, so
scrolling anywhere costs one page query at most. A page whose predecessor is
cached is fetched by key (after that page's last row), which the claims index
answers directly; only a jump far away (``G``, a search hit) uses OFFSET.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.review.records import QueueRow
from workbench.safe_text import one_line

PAGE_SIZE = 100
CACHED_PAGES = 32

# fetch(offset, limit, after) -> rows (ReviewSession.page); ``after`` is the key of the row before the page
PageFetcher = Callable[[int, int, "tuple[int, int] | None"], list[QueueRow]]


class PageCache:
    """Rows of a queue by index, fetched a page at a time and kept in an LRU of pages."""

    def __init__(self, fetch: PageFetcher, page_size: int = PAGE_SIZE, pages: int = CACHED_PAGES):
        self._fetch = fetch
        self.page_size = page_size
        self._capacity = pages
        self._pages: OrderedDict[int, list[QueueRow]] = OrderedDict()
        self._short: set[int] = set()  # pages that lost a row (see remove)
        self.fetches = 0  # how many page queries ran (the tests check that paging is lazy)

    def clear(self) -> None:
        self._pages.clear()
        self._short.clear()

    def remove(self, index: int) -> None:
        """Forget one row that left the queue without refetching what is cached before it.

        The row's page loses it (and is refetched only when its last slot is
        asked for); later pages have shifted, so they are dropped.
        """
        page_no, offset = divmod(index, self.page_size)
        for later in [p for p in self._pages if p > page_no]:
            del self._pages[later]
        page = self._pages.get(page_no)
        if page is not None and offset < len(page):
            del page[offset]
            self._short.add(page_no)

    def update(self, index: int, **changes) -> None:
        """Change cached fields of one row (a verdict given in a queue it stays in)."""
        page = self._pages.get(index // self.page_size)
        if page is not None and index % self.page_size < len(page):
            page[index % self.page_size] = replace(page[index % self.page_size], **changes)

    def row(self, index: int) -> QueueRow | None:
        page_no, offset = divmod(index, self.page_size)
        page = self._pages.get(page_no)
        if page is not None and offset >= len(page) and page_no in self._short:
            page = None  # a row was removed from this page: its last slot comes from the next one
            self._short.discard(page_no)
        if page is None:
            previous = self._pages.get(page_no - 1)
            full = previous is not None and len(previous) == self.page_size and page_no - 1 not in self._short
            after = previous[-1].key if full else None
            page = self._fetch(page_no * self.page_size, self.page_size, after)
            self.fetches += 1
            self._pages[page_no] = page
            if len(self._pages) > self._capacity:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None


class ClaimQueue(ScrollView, can_focus=True):
    """The reviewer's queue of claims; the cursor row is the claim shown in the other panes."""

    BINDINGS = [
        Binding("down", "cursor(1)", "Next", show=False, id="queue-down", tooltip="Next claim in the queue"),
        Binding("up", "cursor(-1)", "Previous", show=False, id="queue-up", tooltip="Previous claim in the queue"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="queue-page-down", tooltip="One screen down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="queue-page-up", tooltip="One screen up"),
        Binding("home", "first", "First", show=False, id="queue-home", tooltip="First claim in the queue"),
        Binding("end", "last", "Last", show=False, id="queue-end", tooltip="Last claim in the queue"),
    ]
    """Moving the cursor; the app adds j/k/g/G as vim-style aliases."""

    COMPONENT_CLASSES = {"claim-queue--cursor", "claim-queue--done", "claim-queue--conflict",
                         "claim-queue--flag", "claim-queue--final", "claim-queue--id"}

    DEFAULT_CSS = """
    ClaimQueue { background: $surface; overflow-x: hidden; }
    ClaimQueue > .claim-queue--cursor { background: $accent 30%; text-style: bold; }
    ClaimQueue:focus > .claim-queue--cursor { background: $accent 60%; }
    ClaimQueue > .claim-queue--done { color: $success; }
    ClaimQueue > .claim-queue--conflict { color: $error; text-style: bold; }
    ClaimQueue > .claim-queue--flag { color: $warning; }
    ClaimQueue > .claim-queue--final { color: $secondary; text-style: bold; }
    ClaimQueue > .claim-queue--id { color: $text-muted; }
    """
    """Row styles: the cursor in the accent colour, conflicts in $error (component classes, so themes apply)."""

    # watch_cursor repaints two lines; not called at mount (init=False): the screen shows the first claim itself
    # once the queue is loaded, and a Highlighted for row 0 of a queue not loaded yet would arrive after it
    cursor: reactive[int] = reactive(0, always_update=False, repaint=False, init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to a claim (or to nothing: an empty queue)."""

        queue: ClaimQueue
        row: int
        claim: QueueRow | None

    def __init__(self, fetch: PageFetcher, count: Callable[[], int], *, id: str | None = None):
        # the queue fetches through the review session; it never holds a connection itself
        super().__init__(id=id)
        self._count_fn = count
        self.pages = PageCache(fetch)
        self.count = 0
        self.settled = 0  # rows judged in place since the last reload (still shown, marked; no longer in the queue)
        # the rows' rich styles (base, then each component's), kept until the styles change: Textual's own cache of
        # component styles is cleared by every refresh, and each verdict refreshes two rows
        self._row_styles: dict[str | None, Style] = {}

    # -- data ---------------------------------------------------------------
    def reload(self, *, keep_row: int | None = None, count: int | None = None, announce: bool = True) -> None:
        """Forget cached pages and count again (after a write or a filter change).

        ``count`` skips the COUNT query when the caller knows the new size
        (a verdict in the to-do queue removes exactly one row).
        """
        self.pages.clear()
        self.settled = 0
        self.count = self._count_fn() if count is None else count
        self.virtual_size = Size(self.scrollable_content_region.width, self.count)
        row = self.cursor if keep_row is None else keep_row
        row = max(0, min(row, self.count - 1)) if self.count else 0
        self.set_reactive(ClaimQueue.cursor, row)
        self.scroll_to_cursor()
        self.refresh()
        if announce:  # False: the screen shows a claim that is not in this queue, and keeps it
            self.post_message(self.Highlighted(self, row, self.current))

    def remove_row(self, row: int) -> None:
        """A row left the queue (the claim was judged in the to-do queue): the next one takes its place."""
        self.pages.remove(row)
        self.count = max(0, self.count - 1)
        self.virtual_size = Size(self.scrollable_content_region.width, self.count)
        self.set_reactive(ClaimQueue.cursor, self.validate_cursor(row))
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor, self.current))

    def patch_row(self, row: int, **changes) -> None:
        """A row changed in place (e.g. its verdict mark): that line is repainted, nothing else."""
        self.pages.update(row, **changes)
        self.refresh_line(row)

    def settle(self, row: int, **changes) -> None:
        """A row left the queue (judged in the to-do queue) but stays in sight, marked, until the next reload:
        one line repaints instead of every row below it moving up."""
        self.patch_row(row, **changes)
        self.settled += 1

    @property
    def remaining(self) -> int:
        """Rows still in the queue (the count shown)."""
        return self.count - self.settled

    @property
    def current(self) -> QueueRow | None:
        return self.pages.row(self.cursor) if self.count else None

    def row(self, index: int) -> QueueRow | None:
        return self.pages.row(index) if 0 <= index < self.count else None

    # -- cursor -------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.count - 1)) if self.count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._cursor_moved(old, new)
        self.post_message(self.Highlighted(self, new, self.current))

    def move_quietly(self, row: int) -> None:
        """Move the cursor without announcing it: the caller (the screen, moving on after a verdict) shows the
        claim itself. The Highlighted message would travel up to the screen after the frame, only to find that
        claim shown already."""
        old = self.cursor
        self.set_reactive(ClaimQueue.cursor, self.validate_cursor(row))
        if self.cursor != old:
            self._cursor_moved(old, self.cursor)

    def _cursor_moved(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        self.scroll_to_cursor()
        if self.scroll_offset.y == top:  # no scroll: only the two rows whose cursor style changed repaint
            self.refresh_line(old)
            self.refresh_line(new)
        else:
            self.refresh()

    def scroll_to_cursor(self) -> None:
        """Keep the cursor in sight, scrolling by a stretch at a time: moving past the bottom puts the cursor a
        third of the way down, so the next third of a screen of keys repaints two lines each, not the whole list."""
        height = self.scrollable_content_region.height or 1
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=max(0, self.cursor - (2 * height) // 3), animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=max(0, self.cursor - height // 3), animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, self.count - 1)

    def on_click(self, event) -> None:
        row = self.scroll_offset.y + event.y
        if 0 <= row < self.count:
            self.cursor = row

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.count)

    # -- rendering ----------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()  # a theme, focus (the cursor's style) or CSS change
        self._row_styles.clear()

    def _style(self, component: str | None) -> Style:
        style = self._row_styles.get(component)
        if style is None:
            style = self.rich_style if component is None else self.get_component_rich_style(component)
            self._row_styles[component] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        base = self._style(None)
        row = self.row(index)
        if row is None:
            return Strip.blank(width, base)
        style = self._style
        cursor = index == self.cursor
        row_style = base + style("claim-queue--cursor") if cursor else base
        if row.final_label:
            mark, mark_style = "★", style("claim-queue--final")
        elif row.my_label:
            mark, mark_style = "✓", style("claim-queue--done")
        else:
            mark, mark_style = "·", style("claim-queue--id")
        segments = [Segment(f"{mark}", row_style + mark_style)]
        if row.has_conflict:
            segments.append(Segment("⚡", row_style + style("claim-queue--conflict")))
        elif row.flagged:
            segments.append(Segment("⚑", row_style + style("claim-queue--flag")))
        else:
            segments.append(Segment(" ", row_style))
        segments.append(Segment(f"{row.id:>5} ", row_style + style("claim-queue--id")))
        if row.my_label:  # the reviewer's own label, so the Mine queue reads as a list of decisions
            segments.append(Segment(one_line(row.my_label, limit=16) + " ", row_style + style("claim-queue--done")))
        # one_line(): the claim is article text, shown literally with its controls made visible
        segments.append(Segment(one_line(row.text, limit=400), row_style))
        strip = Strip(segments).crop_extend(0, width, row_style)
        return strip
