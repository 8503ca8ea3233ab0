"""Bytes on disk -> :class:`~workbench.model.ParsedArticle`: the importer.

Pure functions, no database and no terminal.  The pipeline calls exactly::

    from workbench.ingest import read_document, iter_input_files, DEFAULT_MAX_BYTES

* :func:`read_document` turns one file's bytes into articles (one per file,
  or one per record of a JSON/JSONL file) or raises
  :class:`~workbench.model.Refusal` with a one-line reason;
* :func:`iter_input_files` lists the files to read under the given paths;
* :data:`DEFAULT_MAX_BYTES` is the size above which the pipeline refuses a
  file before reading it.

Modules: ``decoding`` (binary checks and encodings), ``frontmatter``
(restricted YAML), ``htmltext`` (HTML to text), ``records`` (JSON/JSONL),
``textmeta`` (header, poster and byline lines, language), ``chrome`` (page
chrome removal), ``dates`` (publication dates) and ``reader`` (format
detection and assembly).
"""

from workbench.ingest.files import iter_input_files
from workbench.ingest.reader import read_document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

__all__ = ["DEFAULT_MAX_BYTES", "iter_input_files", "read_document"]
