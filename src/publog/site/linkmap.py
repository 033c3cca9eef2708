"""A small map of the links around an entry or within a topic, laid out at build time.

No script and no canvas: the pages draw it as inline SVG from these positions,
and it reads the same in a feed reader. Deterministic: nodes are placed on a
circle in a fixed order, so the same journal draws the same map.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

from ..journal.model import Entry

SIZE = 320
_RADIUS = 118
MAX_NEIGHBOURS = 12
MAX_TOPIC_NODES = 16


def _circle(count: int, radius: float = _RADIUS) -> list[tuple[float, float]]:
    centre = SIZE / 2
    return [(round(centre + radius * math.sin(2 * math.pi * n / count), 1),
             round(centre - radius * math.cos(2 * math.pi * n / count), 1)) for n in range(count)]


def around(title: str, centre: Mapping[str, Any], out: Sequence[tuple[str, Mapping[str, Any]]],
           into: Sequence[tuple[str, Mapping[str, Any]]]) -> dict[str, Any] | None:
    """The entry in the middle (``title``, ``centre``: its teaser), the entries it links to (``out``) and
    that link to it (``into``) around it: (path, teaser) of each."""
    shown = dict([*out, *into])
    out_paths, into_paths = [p for p, _ in out], [p for p, _ in into]
    neighbours = list(dict.fromkeys(out_paths + into_paths))[:MAX_NEIGHBOURS]
    if not neighbours:
        return None
    centre_xy = SIZE / 2
    nodes = [{**centre, "x": centre_xy, "y": centre_xy, "current": True}]
    edges = []
    for path, (x, y) in zip(neighbours, _circle(len(neighbours))):
        nodes.append({**shown[path], "x": x, "y": y, "current": False})
        edges.append({"x1": centre_xy, "y1": centre_xy, "x2": x, "y2": y,
                      "direction": "both" if path in out_paths and path in into_paths
                      else "out" if path in out_paths else "in"})
    return {"size": SIZE, "nodes": nodes, "edges": edges,
            "label": f"{title}: links to {len(out_paths)} and from {len(into_paths)} entries"}


def within(name: str, members: Sequence[Entry], teaser: Callable[[str], Mapping[str, Any]]) -> dict[str, Any] | None:
    """The most linked entries of a topic and the links between them."""
    inside = {e.path for e in members}
    degree = {e.path: sum(p in inside for p in e.outlinks) + sum(p in inside for p, _ in e.backlinks) for e in members}
    chosen = sorted((p for p, d in degree.items() if d), key=lambda p: (-degree[p], p))[:MAX_TOPIC_NODES]
    if len(chosen) < 2:
        return None
    chosen.sort()
    place = dict(zip(chosen, _circle(len(chosen), _RADIUS + 20)))
    by_path = {e.path: e for e in members}
    edges = []
    for path in chosen:
        for target in by_path[path].outlinks:
            if target in place and target != path:
                (x1, y1), (x2, y2) = place[path], place[target]
                edges.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "direction": "out"})
    nodes = [{**teaser(p), "x": place[p][0], "y": place[p][1], "current": False} for p in chosen]
    return {"size": SIZE, "nodes": nodes, "edges": edges,
            "label": f"Links between {len(chosen)} entries about {name}"}
