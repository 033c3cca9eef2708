"""Where a journal came from: a folder written for Hugo, Jekyll, Pelican or Eleventy, an Obsidian vault or a Quartz garden.

A few stats tell which generator a folder was written for (read/detect.py), and its own config
(hugo.toml, _config.yml, pelicanconf.py, quartz.config.ts, Eleventy's data files)
tells where the posts are, which URLs they had, and the site's title and author;
configs that are code are read as text, never run (see read/configs.py, read/jsvalues.py).
One module per generator reads them into an OldConfig (hugo, jekyll, pelican, eleventy, obsidian,
quartz); settle.py lists them in one table. The answer is a Layout, kept in the Config like
any setting, so every stage reads the same conventions and the page fingerprints change with
them. Whatever publog.yaml says wins over what is found here.
"""

from ..detect import MARKERS
from .layout import NAMES, SETTINGS, TOPIC_SOURCES, Layout, Publish, setting
from .settle import fingerprint, settle, skipped
from .statics import static_files

__all__ = ["MARKERS", "NAMES", "SETTINGS", "TOPIC_SOURCES", "Layout", "Publish", "fingerprint", "settle", "setting",
           "skipped", "static_files"]
