"""Sources -> the journal: what is published, where, under which topics and series, and what links to what."""
