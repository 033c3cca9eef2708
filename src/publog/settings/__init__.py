"""What a journal declares: publog.yaml, its kinds of entries, its theme; YAML read safely."""
