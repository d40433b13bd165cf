"""The ``diagram`` kind, stepped: a graph or tree walked node by node (BFS, DFS, shortest paths).

A diagram with ``steps`` is drawn by the ``traversal`` builder. A step may
``visit`` a node (a ring moves onto it: the current node), light an ``edge``
(a pulse runs along it), light a whole ``path`` (nodes and edges in order),
mark nodes ``done`` (green, for good), set the short ``tags`` shown in node
boxes (a distance, a visit order) and say a ``note`` under the graph.

The traversal builder also draws the diagrams that use what the plain
``V.diagram`` builder does not know: the ``tree`` layout (``root`` on top,
children below), edge ``weight`` numbers and node ``tags``. A diagram with
none of these and no steps is drawn by ``V.diagram`` exactly as before.
"""

from __future__ import annotations

import itertools
import math

from .common import Fail, words

KINDS = ("diagram",)
STEP_ACTIONS = ("visit", "edge", "path", "done", "tags", "note")

# Natural sizes the builder uses (lessonreel.visuals.traversal), for the rows a tree needs.
BOX_HEIGHT = 0.75       # a node's box with a one-line name
TAG_HEIGHT = 0.36       # extra box height when nodes show tags
LEVEL_GAP = 0.55        # between the boxes of two tree levels
WEIGHT_GAP = 0.85       # the same when edges carry weights (room for the weight on the edge)
NOTE_HEIGHT = 0.62      # the note under the graph, with its gap
CELL_HEIGHT = 1.09      # a grid row (lessonreel.grid.CELL_HEIGHT)


def _ids(visual: dict) -> list:
    return [n["id"] if isinstance(n, dict) else n for n in visual["nodes"]]


def _pairs(visual: dict) -> list[tuple]:
    return [(e["from"], e["to"]) if isinstance(e, dict) else (e[0], e[1]) for e in visual.get("edges") or []]


def _weighted(visual: dict) -> bool:
    return any(isinstance(e, dict) and "weight" in e for e in visual.get("edges") or [])


def stepped(visual: dict) -> bool:
    """Drawn by the traversal builder: it has steps, or uses the tree layout, a root, weights or tags."""
    return bool(visual.get("steps") or visual.get("layout") == "tree" or "root" in visual
                or visual.get("tags") or _weighted(visual))


def builder(visual: dict) -> str:
    return "traversal"


def edge_list(value) -> list:
    """A step's ``edge``: one pair [A, B] or a list of pairs."""
    if not value:
        return []
    return [list(p) for p in value] if isinstance(value[0], (list, tuple)) else [list(value)]


def tree_levels(visual: dict) -> dict:
    """{node: depth} in breadth-first order from the root (edges followed both ways when undirected)."""
    ids, pairs = _ids(visual), _pairs(visual)
    directed = visual.get("directed", True)
    root = visual.get("root", ids[0])
    out: dict = {node: [] for node in ids}
    for a, b in pairs:
        out[a].append(b)
        if not directed:
            out[b].append(a)
    depth, queue = {root: 0}, [root]
    for node in queue:
        for child in out[node]:
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    return depth


def _check_tree(visual: dict, fail: Fail, ids: list, pairs: list) -> None:
    root = visual.get("root", ids[0])
    directed = visual.get("directed", True)
    depth = tree_levels(visual)
    missing = [n for n in ids if n not in depth]
    if missing:
        how = "following the arrows " if directed else ""
        fail("layout", f"a tree: every node reached from the root {root} {how}(not reached: "
                       f"{', '.join(missing)}); or use layout layered or circular", "tree")
    if not directed and len(pairs) != len(ids) - 1:
        fail("layout", f"a tree: {len(ids) - 1} edges for {len(ids)} nodes, no cycle "
                       f"(this graph has {len(pairs)} edges); or use layout circular", "tree")
    if directed:
        import graphlib

        order = graphlib.TopologicalSorter({n: [a for a, b in pairs if b == n] for n in ids})
        try:
            order.prepare()
        except graphlib.CycleError as exc:
            cycle = " -> ".join(exc.args[1])
            fail("layout", f"a tree or a DAG from the root (no cycle; this graph has {cycle})", "tree")


def check(visual: dict, fail: Fail) -> None:
    ids, pairs = _ids(visual), _pairs(visual)
    if len(set(ids)) != len(ids):
        fail("nodes", "distinct node names", ids)
    known = "a node of the diagram: " + ", ".join(ids)
    for e, (a, b) in enumerate(pairs):
        for end in (a, b):
            if end not in ids:
                fail(f"edges[{e}]", "edges between listed nodes: " + ", ".join(ids), end)
    if not stepped(visual):
        return  # the plain diagram, checked as always
    directed = visual.get("directed", True)
    seen: dict = {}
    for e, (a, b) in enumerate(pairs):
        if a == b:
            fail(f"edges[{e}]", "an edge between two different nodes", [a, b])
        key = (a, b) if directed else tuple(sorted((a, b)))
        if key in seen:
            fail(f"edges[{e}]", f"one edge per pair of nodes (edges[{seen[key]}] joins them already)", [a, b])
        seen[key] = e
    if "root" in visual:
        if visual["root"] not in ids:
            fail("root", known, visual["root"])
        if visual.get("layout") != "tree":
            fail("layout", "tree (a root is the top of a tree layout)", visual.get("layout", "auto"))
    if visual.get("layout") == "tree":
        _check_tree(visual, fail, ids, pairs)
    for node in visual.get("tags") or {}:
        if node not in ids:
            fail(f"tags.{node}", known, node)
    joined = set(pairs) | ({(b, a) for a, b in pairs} if not directed else set())
    link = "an edge A, B of the diagram" + ("" if not directed else " (edges have a direction: from, to)")
    for k, step in enumerate(visual.get("steps") or []):
        at = f"steps[{k}]."
        if not any(key in step for key in STEP_ACTIONS):
            fail(f"steps[{k}]", "a change: " + ", ".join(STEP_ACTIONS), step)
        if step.get("visit") is not None and step["visit"] not in ids:
            fail(f"{at}visit", known, step["visit"])
        for key in ("done", "path"):
            for i, node in enumerate(step.get(key) or []):
                if node not in ids:
                    fail(f"{at}{key}[{i}]", known, node)
        for node in step.get("tags") or {}:
            if node not in ids:
                fail(f"{at}tags.{node}", known, node)
        edges = step.get("edge")
        for i, pair in enumerate(edge_list(edges)):
            field = f"{at}edge" if edges and not isinstance(edges[0], (list, tuple)) else f"{at}edge[{i}]"
            for node in pair:
                if node not in ids:
                    fail(field, known, node)
            if tuple(pair) not in joined:
                fail(field, link, pair)
        path = step.get("path") or []
        for i, (a, b) in enumerate(itertools.pairwise(path)):
            if (a, b) not in joined:
                fail(f"{at}path", f"nodes joined by edges in order (no edge from {a} to {b})", path)


def _tree_rows(visual: dict) -> int:
    levels = max(tree_levels(visual).values()) + 1
    box = BOX_HEIGHT + (TAG_HEIGHT if _tags(visual) else 0)
    gap = WEIGHT_GAP if _weighted(visual) else LEVEL_GAP
    height = levels * box + (levels - 1) * gap + (NOTE_HEIGHT if _notes(visual) else 0)
    return max(2, math.ceil((height + 0.3) / CELL_HEIGHT))


def _tags(visual: dict) -> bool:
    return bool(visual.get("tags")) or any(s.get("tags") for s in visual.get("steps") or [])


def _notes(visual: dict) -> bool:
    return any(s.get("note") for s in visual.get("steps") or [])


def rows(visual: dict) -> tuple[int, int] | None:
    if not stepped(visual):
        return None  # the plain diagram's usual band
    if visual.get("layout") == "tree":
        lo = min(_tree_rows(visual), 6)
        return lo, min(lo + 1, 6)
    lo = (4 if len(visual["nodes"]) <= 6 else 5) + (1 if _notes(visual) else 0)
    return min(lo, 6), 6


def seconds(visual: dict) -> float | None:
    if not stepped(visual):
        return None
    return 1.5 + 0.4 * len(visual["nodes"]) + 0.3 * len(visual.get("edges") or [])


def step_seconds(visual: dict, step: dict) -> float:
    actions = sum(1 for key in ("visit", "edge", "done", "tags") if step.get(key) is not None)
    return (1.0 + 0.7 * actions + 0.4 * len(step.get("path") or [])
            + 0.3 * words(step.get("note", "")))


def describe(visual: dict, step: dict) -> str:
    parts = []
    if "visit" in step:
        parts.append("visit " + str(step["visit"]) if step["visit"] is not None else "no current node")
    for a, b in edge_list(step.get("edge")):
        parts.append(f"edge {a}-{b}")
    if step.get("path"):
        parts.append("path " + " > ".join(map(str, step["path"])))
    if step.get("done"):
        parts.append("done " + ", ".join(map(str, step["done"])))
    if step.get("tags"):
        parts.append("tags " + ", ".join(f"{k}={'-' if v is None else v}" for k, v in step["tags"].items()))
    if step.get("note"):
        parts.append(f"note: {step['note']}")
    return "; ".join(parts) or "no change"
