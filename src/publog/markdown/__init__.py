"""An entry's body -> HTML: the renderer and its markdown-it rules (math, Obsidian's syntax, other generators' tags)."""
