"""Pages -> bytes: templates, feeds and the search index."""
