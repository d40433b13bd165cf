"""Graphs walked step by step (the stepped ``diagram``) and stacks and queues (``stack``)."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import pytest
from conftest import ROOT
from stepped import build, center, render

from lessonreel import codegen, kinds, layout, planner
from lessonreel.errors import InputError
from lessonreel.schemas import validate
from lessonreel.topic import check_topic

BFS = {
    "title": "Breadth-first search",
    "sections": [{
        "title": "BFS on a tree",
        "lines": ["A small tree, rooted at A", "Start at A: its children join the queue", "Walk to B",
                  "Then C", "B's child D", "C's child E: the path A, C, E", "Every node is done"],
        "narration": ["Here is a small tree with its root A at the top.",
                      "We start at A, and its children B and C join the queue.",
                      "The first in the queue is B, so we walk the edge from A to B.",
                      "Next comes C, the second child of A.",
                      "B has one child, D, four steps away.",
                      "C leads to E, and the path from A through C to E lights up.",
                      "Every node has been visited, so every node is done."],
        "visuals": [{
            "kind": "diagram", "line": 1, "layout": "tree", "root": "A", "directed": False,
            "nodes": ["A", "B", "C", "D", "E"],
            "edges": [["A", "B"], ["A", "C"], {"from": "B", "to": "D", "weight": 4}, {"from": "C", "to": "E"}],
            "steps": [
                {"visit": "A", "note": "queue: B, C"},
                {"edge": ["A", "B"], "visit": "B", "done": ["A"], "note": "queue: C, D", "cue": "we walk the edge"},
                {"edge": ["A", "C"], "visit": "C", "done": ["B"], "note": "queue: D, E"},
                {"edge": ["B", "D"], "visit": "D", "done": ["C"], "note": "queue: E"},
                {"path": ["A", "C", "E"], "visit": "E", "done": ["D"], "note": "queue: empty"},
                {"done": ["E"], "visit": None},
            ],
        }],
    }],
}

DIJKSTRA = {
    "title": "Shortest paths",
    "sections": [{
        "title": "Dijkstra",
        "lines": ["Roads with lengths", "Start at S: distance 0", "Relax the roads out of S", "A is closest",
                  "Relax A's roads", "B is next: T gets 6", "The shortest path to T"],
        "visuals": [{
            "kind": "diagram", "line": 1, "directed": False, "layout": "circular",
            "nodes": ["S", "A", "B", "T", "C"],
            "edges": [{"from": "S", "to": "A", "weight": 2}, {"from": "A", "to": "B", "weight": 3},
                      {"from": "B", "to": "T", "weight": 1}, {"from": "T", "to": "C", "weight": 4},
                      {"from": "C", "to": "S", "weight": 6}, {"from": "S", "to": "B", "weight": 6}],
            "tags": {"S": 0, "A": "inf", "B": "inf", "T": "inf", "C": "inf"},
            "steps": [
                {"visit": "S"},
                {"edge": [["S", "A"], ["S", "B"], ["S", "C"]], "tags": {"A": 2, "B": 6, "C": 6}, "done": ["S"]},
                {"visit": "A"},
                {"edge": ["A", "B"], "tags": {"B": 5}, "done": ["A"], "note": "B: 6 -> 5 through A"},
                {"visit": "B", "edge": ["B", "T"], "tags": {"T": 6}, "done": ["B"]},
                {"path": ["S", "A", "B", "T"], "visit": "T", "done": ["T"], "note": "S, A, B, T: length 6"},
            ],
        }],
    }],
}

CONTAINERS = {
    "title": "Stacks and queues",
    "sections": [{
        "title": "In and out",
        "lines": ["A call stack", "Push 9", "Pop two", "Peek at the top", "A queue", "Enqueue 9", "Dequeue two"],
        "visuals": [
            {"kind": "stack", "line": 1, "mode": "stack", "items": [3, 7], "label": "call stack",
             "steps": [{"push": 9}, {"pop": 2}, {"peek": True}]},
            {"kind": "stack", "line": 5, "mode": "queue", "items": ["ann", "bo"], "label": "queue",
             "steps": [{"push": "cy"}, {"pop": 2, "peek": True}]},
        ],
    }],
}

GREEN, PANEL = "#34D399", "#1F2937"


def _error(topic: dict) -> str:
    with pytest.raises(InputError) as info:
        validate(topic, "topic", "topics/t.yaml")
        check_topic(topic, Path("topics/t.yaml"), ROOT)
    return str(info.value)


def _diagram(**changes) -> dict:
    topic = copy.deepcopy(BFS)
    topic["sections"][0]["visuals"][0].update(changes)
    return topic


# --------------------------------------------------------------- checks ---

@pytest.mark.parametrize("change, field, expected", [
    (lambda v: v["steps"][0].update(visit="Z"), "steps[0].visit", "a node of the diagram: A, B, C, D, E, got 'Z'"),
    (lambda v: v["steps"][1].update(edge=["B", "C"]), "steps[1].edge", "an edge A, B of the diagram, got ['B', 'C']"),
    (lambda v: v["steps"][1].update(edge=[["A", "B"], ["A", "Q"]]), "steps[1].edge[1]", "a node of the diagram"),
    (lambda v: v["steps"][4].update(path=["A", "C", "D"]), "steps[4].path",
     "nodes joined by edges in order (no edge from C to D)"),
    (lambda v: v["steps"][3].update(done=["A", "X"]), "steps[3].done[1]", "a node of the diagram"),
    (lambda v: v.update(root="Q"), "root", "a node of the diagram: A, B, C, D, E"),
    (lambda v: v.update(layout="circular"), "layout", "tree (a root is the top of a tree layout)"),
    (lambda v: v["edges"].append(["D", "E"]), "layout", "a tree: 4 edges for 5 nodes, no cycle (this graph has 5"),
    (lambda v: v["edges"].pop(), "layout", "a tree: every node reached from the root A (not reached: E)"),
    (lambda v: v["edges"].append({"from": "D", "to": "B"}), "edges[4]", "one edge per pair of nodes"),
    (lambda v: v["edges"][2].update(weight="four"), "edges[2].weight", "a number, got 'four'"),
    (lambda v: v["steps"][2].update(colour="red"), "steps[2].colour", "one of the known fields"),
])
def test_bad_diagram_steps_are_refused_clearly(change, field, expected):
    topic = copy.deepcopy(BFS)
    change(topic["sections"][0]["visuals"][0])
    message = _error(topic)
    assert f"sections[0].visuals[0].{field}: expected {expected}" in message, message


def test_directed_edges_are_walked_their_way_and_a_directed_tree_needs_no_cycle():
    topic = _diagram(directed=True)
    validate(topic, "topic", "t")
    check_topic(topic, Path("t"), ROOT)  # a tree of arrows from the root is fine
    topic["sections"][0]["visuals"][0]["steps"][1]["edge"] = ["B", "A"]
    assert "steps[1].edge: expected an edge A, B of the diagram (edges have a direction" in _error(topic)
    cyclic = _diagram(directed=True, layout="tree", root="A")
    cyclic["sections"][0]["visuals"][0]["edges"].append(["E", "A"])
    assert "layout: expected a tree or a DAG from the root (no cycle" in _error(cyclic)


def test_old_diagrams_keep_their_builder_and_new_features_take_the_stepped_one():
    old = {"kind": "diagram", "nodes": ["a", {"id": "b", "label": "Bee"}], "edges": [{"from": "a", "to": "b", "label": "x"}],
           "directed": False, "layout": "row"}
    topic = {"title": "T", "sections": [{"title": "S", "lines": ["one"], "visuals": [old]}]}
    validate(topic, "topic", "t")
    check_topic(topic, Path("t"), ROOT)
    assert not kinds.stepped(old) and layout.row_range(old) == (4, 6)
    board = planner.make_storyboard(topic, planner.make_outline(topic, "t"), ROOT,
                                    {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14})
    code = codegen.generate_scene(board["sections"][0], topic, "t.yaml", first_section=False)
    assert "V.diagram(" in code and "V.traversal(" not in code
    for new in ({**old, "layout": "tree"}, {**old, "edges": [{"from": "a", "to": "b", "weight": 2.5}]},
                {**old, "tags": {"a": 1}}):
        assert kinds.stepped(new) and kinds.builder(new) == "traversal"


def test_cues_time_the_steps_and_the_code_says_what_each_does():
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(BFS, planner.make_outline(BFS, "bfs"), ROOT, pacing)
    validate(board, "storyboard", "storyboard.json")
    steps = board["sections"][0]["steps"]
    assert steps[2]["changes"] == [{"visual": 0, "step": 1, "beat": 0, "cue": "we walk the edge"}]
    narration = steps[2]["narration"]
    at = codegen.beat_times(steps[2], 4.0)[0]
    assert at == round(4.0 * narration.lower().index("we walk the edge") / len(narration), 2) > 0
    code = codegen.generate_scene(board["sections"][0], BFS, "t.yaml", first_section=False,
                                  voices={"steps": {"3": {"id": "03", "seconds": 4.0}}, "pause": 0.4})
    compile(code, "scene.py", "exec")
    assert f"self.play_changes(diagram.step(1), at={at:g}," in code
    assert "# diagram: visit B; edge A-B; done A; note: queue: C, D" in code
    assert "root='A'" in code and "layout='tree'" in code
    assert layout.row_range(BFS["sections"][0]["visuals"][0]) == (5, 6)


@pytest.mark.parametrize("change, field, expected", [
    (lambda v: v.update(steps=[{"push": 9}, {"pop": 1}, {"peek": True}, {"pop": 3}]), "steps[3].pop",
     "at most 2 (the stack holds 2 items then), got 3"),
    (lambda v: v["steps"].insert(1, {"push": 1, "pop": 1}), "steps[1]", "a push or a pop, not both in one step"),
    (lambda v: v.update(steps=[{"pop": 2}, {"peek": True}]), "steps[1].peek",
     "an item at the top to show (the stack is empty then)"),
    (lambda v: v.update(items=list(range(8))), "steps[0].push",
     "room for it: the stack holds at most 8 items (it holds 8 then)"),
    (lambda v: v.update(mode="deque"), "mode", "one of"),
    (lambda v: v["steps"][1].update(pop=0), "steps[1].pop", ""),
])
def test_bad_stack_steps_are_refused_clearly(change, field, expected):
    topic = copy.deepcopy(CONTAINERS)
    change(topic["sections"][0]["visuals"][0])
    message = _error(topic)
    assert f"sections[0].visuals[0].{field}: expected {expected}" in message, message


def test_a_queue_says_queue_in_its_errors_and_its_code():
    topic = copy.deepcopy(CONTAINERS)
    topic["sections"][0]["visuals"][1]["steps"][1]["pop"] = 4
    assert "visuals[1].steps[1].pop: expected at most 3 (the queue holds 3 items then), got 4" in _error(topic)
    queue = CONTAINERS["sections"][0]["visuals"][1]
    assert kinds.describe(queue, 1) == "dequeue 2; peek at the front"
    assert layout.row_range(queue) == (4, 5)
    assert layout.row_range(CONTAINERS["sections"][0]["visuals"][0]) == (4, 5)


def test_weights_sit_on_their_edges_and_a_tree_stands_on_its_root():
    from lessonreel.visuals import traversal

    v = BFS["sections"][0]["visuals"][0]
    fields = {k: val for k, val in v.items() if k not in ("kind", "line")}
    graph = traversal((8.0, 5.0), **fields)
    weight = graph.lesson_parts["weight:B-D"]
    assert weight.text == "4"
    edge = graph.lesson_parts["edge:B-D"]
    assert weight.get_center() == pytest.approx(edge.get_center(), abs=0.02)
    box = {n: graph.lesson_parts[f"node:{n}"] for n in "ABCDE"}
    assert box["A"].get_y() > box["B"].get_y() > box["D"].get_y()
    assert box["B"].get_y() == pytest.approx(box["C"].get_y())
    assert box["A"].get_x() == pytest.approx((box["B"].get_x() + box["C"].get_x()) / 2)
    assert box["D"].get_x() == pytest.approx(box["B"].get_x())  # an only child stands under its parent
    assert graph.width <= 8.0 + 1e-6 and graph.height <= 5.0 + 1e-6


# -------------------------------------------------------------- renders ---

@pytest.mark.render
def test_bfs_on_a_tree_rings_each_visited_node_and_greens_the_done(tmp_path):
    built = build(tmp_path, BFS, voices={n: 3.0 for n in range(1, 8)})
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]
    order = ["A", "B", "C", "D", "E"]
    after = [done.after_step("diagram", k) for k in range(6)]
    for k, node in enumerate(order):
        assert center(after[k]["ring"]) == pytest.approx(center(after[k][f"node:{node}"]), abs=0.02)
        greens = [n for n in order if after[k][f"node:{n}"][4].upper() == GREEN]
        assert greens == order[:k]
    assert "ring" not in after[5]  # visit: null takes the ring away
    assert all(after[5][f"node:{n}"][4].upper() == GREEN for n in order)
    # The weight stays on its edge, clear of the boxes it joins.
    weight, edge = after[0]["weight:B-D"], after[0]["edge:B-D"]
    assert center(weight) == pytest.approx(center(edge), abs=0.02)
    assert weight[3] < after[0]["node:B"][1] and weight[1] > after[0]["node:D"][3]
    # Step 1 starts when the voice says "we walk the edge".
    code = built.scene.read_text()
    assert "self.play_changes(diagram.step(1), at=" in code
    assert float(code.split("diagram.step(1), at=")[1].split(",")[0]) > 0.5


@pytest.mark.render
def test_dijkstra_tags_change_and_the_path_lights_up(tmp_path):
    built = build(tmp_path, DIJKSTRA)
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]
    start = done.after_entrance("diagram")
    assert {f"tag:{n}" for n in "SABTC"} <= set(start) and "ring" not in start
    after = [done.after_step("diagram", k) for k in range(6)]
    for k in range(6):
        for n in "SABTC":  # every tag stays inside its node's box, under its name
            tag, box = after[k][f"tag:{n}"], after[k][f"node:{n}"]
            assert box[0] < tag[0] and tag[2] < box[2] and box[1] < tag[1] and tag[3] < center(box)[1]
    assert center(after[2]["ring"]) == pytest.approx(center(after[2]["node:A"]), abs=0.02)
    assert center(after[5]["ring"]) == pytest.approx(center(after[5]["node:T"]), abs=0.02)
    assert [n for n in "SABTC" if after[5][f"node:{n}"][4].upper() == GREEN] == list("SABT")
    assert after[5]["note"][3] < min(after[5][f"node:{n}"][1] for n in "SABTC")  # the note is under the graph


@pytest.mark.render
def test_stack_and_queue_items_come_and_go(tmp_path):
    built = build(tmp_path, CONTAINERS)
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]

    def items(parts):
        return sorted((k for k in parts if k.startswith("item:")), key=lambda k: int(k.split(":")[1]))

    def y(parts, name):
        return center(parts[name])[1]

    stack = [done.after_entrance("stack")] + [done.after_step("stack", k) for k in range(3)]
    assert [len(items(p)) for p in stack] == [2, 3, 1, 1]
    for parts in stack:  # the top pointer points at the top item, items sit inside the box, bottom first
        names = items(parts)
        assert y(parts, "pointer:top") == pytest.approx(y(parts, names[-1]), abs=0.03)
        assert all(y(parts, a) < y(parts, b) for a, b in itertools.pairwise(names))
        box = parts["container"]
        assert all(box[0] < parts[n][0] and parts[n][2] < box[2] and box[1] < parts[n][1] for n in names)
    assert stack[3]["item:0"][4].upper() == "#FBBF24"  # peeked
    assert y(stack[2], "item:0") == pytest.approx(y(stack[0], "item:0"), abs=0.01)  # the bottom item never moves

    def x(parts, name):
        return center(parts[name])[0]

    queue = [done.after_entrance("stack_2")] + [done.after_step("stack_2", k) for k in range(2)]
    assert [len(items(p)) for p in queue] == [2, 3, 1]
    front_x = x(queue[0], "item:0")
    for parts in queue:
        names = items(parts)
        assert x(parts, names[0]) == pytest.approx(front_x, abs=0.01)  # the rest moved up to the front
        assert x(parts, "pointer:front") == pytest.approx(front_x, abs=0.03)
        assert x(parts, "pointer:back") == pytest.approx(x(parts, names[-1]), abs=0.03)
    assert queue[2]["item:0"][4].upper() == "#FBBF24"
