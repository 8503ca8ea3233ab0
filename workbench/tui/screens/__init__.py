"""Modal screens of the review app: forms that write, and read-only views (help, agreement, an article)."""
