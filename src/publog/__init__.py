"""publog: a static site generator for learning-in-public journals."""

__version__ = "0.1.0"
