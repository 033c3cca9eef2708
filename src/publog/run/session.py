"""What a long-running process keeps between builds of one journal: `publog serve` and the kept
build process (run/daemon.py) each own one Session and hand it to every build they run.

A build of a process of its own makes a Session and throws it away. Nothing here is trusted that
another process may have changed: the build checks the manifest's stamp before it believes what
the session says the output folder holds, and the cache's rows before it uses them.
"""

from __future__ import annotations

import gc
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache

if TYPE_CHECKING:
    from ..journal.assemble import Assembled
    from ..settings.config import Config
    from ..site.pages import Planned
    from ..write.output import Kept, Manifest
    from ..write.spare import Stamps

# A file's (mtime_ns, size, inode), or None where it is missing.
Stamp = tuple[int, int, int] | None


@dataclass(eq=False)
class Session:
    """The cache of one journal, and what the last build made that the next one can start from."""

    root: InitVar[Path]
    writable: InitVar[bool] = True
    cache: Cache = field(init=False)
    assembled: Assembled | None = None  # the last build's journal, placed: assemble_again starts from it
    planned: Planned | None = None  # and its plan: plan_again starts from it
    spare_files: dict[str, Kept] = field(default_factory=dict)  # output folder -> what its kept previous site holds
    live_files: dict[str, Kept] = field(default_factory=dict)  # publog serve's site -> what it holds (Output.live)
    manifests: dict[str, tuple[Stamp, Manifest]] = field(default_factory=dict)  # manifest file -> its stamp, as saved
    # Manifest file -> its stamp when this session made the kept previous site a copy of the output folder, the
    # copy's folders as it left them (spare.stamps) and what it held then, which holds while both are the same.
    copies: dict[str, tuple[Stamp, Stamps, Kept]] = field(default_factory=dict)
    # ((theme digest, settings), the HTML of the cards lists show by fingerprint), while both stay the same.
    cards: tuple[tuple[str, Config], dict[str, str]] | None = None
    # The first image of an entry's body (social_cards.first_image), by the digest that names the body's HTML.
    first_images: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    # Whether builds collect garbage as they go; the kept build process collects while it waits instead.
    collect: bool = True
    # Folders of sites that builds replaced, which the kept build process deletes while it waits.
    replaced: list[Path] = field(default_factory=list)
    pauses: int = 0  # how often ``idle`` collected

    def __post_init__(self, root: Path, writable: bool) -> None:
        self.cache = Cache(root, writable)

    def restart(self, why: str) -> None:
        """Forget everything kept, in memory and in the cache's database, which was found damaged."""
        self.assembled = self.planned = self.cards = None
        self.spare_files, self.live_files, self.manifests, self.first_images, self.copies = {}, {}, {}, {}, {}
        self.cache.restart(why)

    # The garbage collector is switched here and nowhere else in a build.
    def placing(self) -> None:
        """Entries are about to be placed: placing them, planning and rendering pages make hundreds of
        thousands of objects that live on, and the collector's passes over them took up to half of a
        rebuild. A session that does not collect leaves it off until ``idle``."""
        if not self.collect:
            gc.disable()

    def idle(self) -> None:
        """No build runs and no caller waits: collect what the builds left, and collect as usual meanwhile.

        What is left is frozen: the next pause looks only at what the builds made since, rather than at all the
        journal's and the site's objects again while a save made meanwhile waits. Every few pauses the frozen
        objects are looked at too, so that no cycle among those a build let go of lives on."""
        self.pauses += 1
        if self.pauses % _THAW_EVERY == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        gc.enable()

    def close(self) -> None:
        """No build will run again, and the process goes on (a program that served and stopped): the
        collector is on, and looks at what the pauses froze too."""
        gc.unfreeze()
        gc.enable()


_THAW_EVERY = 16
