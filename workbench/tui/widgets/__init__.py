"""The review screen's panes: the queue, the claim in its article, the linked statements, the status lines."""
