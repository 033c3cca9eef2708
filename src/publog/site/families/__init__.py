"""The page families, in the order their pages are planned: each is a function of the plan's
``Inputs`` to the pages it declares (``Draft``). Adding a kind of page is adding a row here.

Order matters where two pages could claim one file: the first planned is kept (see run/build.py).
The sitemap and robots.txt come last, made of the pages of all of these (site_files.crawlers).
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..inputs import Inputs
from ..page import Draft
from . import community, entries, learning, lists, network, site_files, topics

Family = Callable[[Inputs], Iterable[Draft]]

FAMILIES: tuple[Family, ...] = (
    entries.entry_pages,
    entries.series_pages,
    lists.home,
    topics.topic_lists,
    community.members,
    community.new_this_week,
    topics.topic_index,
    learning.now,
    lists.kinds,
    lists.help_wanted,
    lists.library,
    lists.archive,
    learning.weeks,
    learning.stages,
    lists.tended,
    site_files.search,
    site_files.not_found,
    lists.feeds,
    network.network,
    network.latest,
    lists.feeds_opml,
    entries.redirects,
)
