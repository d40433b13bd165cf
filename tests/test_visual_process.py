"""The ``process`` visual: stages joined by arrows, and tokens that travel along them and turn into others."""

from __future__ import annotations

import copy
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import ROOT
from stepped import build, center, inside, render

from lessonreel import codegen, planner
from lessonreel.errors import InputError
from lessonreel.kinds import process as spec_side
from lessonreel.schemas import validate
from lessonreel.topic import check_topic
from lessonreel.visuals.process_layout import CHIP_H, plan

PANEL, ACCENT = "#1F2937", "#FBBF24"

LEAF = {
    "title": "Photosynthesis",
    "sections": [{
        "title": "Inside the leaf",
        "lines": ["Water, carbon dioxide, a chloroplast", "Water rises from the roots", "CO₂ enters from the air",
                  "Light arrives", "The chloroplast lights up", "Inputs become outputs", "Outputs leave"],
        "narration": ["A leaf needs water and carbon dioxide, and its chloroplasts do the work.",
                      "Water is carried up from the roots through the xylem.",
                      "Carbon dioxide comes in from the air through the stomata.",
                      "Then sunlight arrives.",
                      "The light is absorbed, and the chloroplast gets to work.",
                      "Carbon dioxide and water become glucose and oxygen.",
                      "Oxygen goes out to the air, and glucose travels down through the phloem."],
        "visuals": [{
            "kind": "process", "line": 1, "layout": "row",
            "stages": [{"id": "roots", "label": "Roots"}, {"id": "chloro", "label": "Chloroplast"},
                       {"id": "air", "label": "Air"}],
            "links": [{"from": "roots", "to": "chloro", "label": "xylem"},
                      {"from": "chloro", "to": "roots", "label": "phloem"},
                      ["chloro", "air"], {"from": "air", "to": "chloro", "label": "stomata"}],
            "tokens": [{"id": "water", "label": "H₂O", "at": "roots"}, {"id": "co2", "label": "CO₂", "at": "air"},
                       {"id": "light", "label": "light", "at": "air", "hidden": True, "color": "#FBBF24"}],
            "steps": [
                {"move": {"water": "chloro"}, "cue": "carried up"},
                {"move": {"co2": "chloro"}},
                {"show": ["light"]},
                {"move": {"light": "chloro"}, "highlight": ["chloro"], "cue": "absorbed"},
                {"become": {"co2": "C₆H₁₂O₆", "water": "O₂"}, "hide": ["light"]},
                {"move": {"water": "air", "co2": "roots"}},
            ],
        }],
    }],
}

WATER = {
    "title": "The water cycle",
    "sections": [{
        "title": "Round and round",
        "lines": ["Sea, clouds, rain, rivers", "Water evaporates", "It falls as rain and runs off"],
        "visuals": [{
            "kind": "process", "line": 1, "layout": "cycle",
            "stages": [{"id": "sea", "label": "Ocean"}, {"id": "cloud", "label": "Clouds"}, "Rain",
                       {"id": "river", "label": "Rivers"}],
            "links": [{"from": "sea", "to": "cloud", "label": "evaporation"}, ["cloud", "Rain"],
                      {"from": "Rain", "to": "river", "label": "runoff"}, ["river", "sea"]],
            "tokens": [{"id": "drop", "label": "H₂O", "at": "sea"}, {"id": "salt", "label": "salt", "at": "sea"}],
            "steps": [{"move": {"drop": "cloud"}}, {"become": {"drop": "vapour"}, "line": 2},
                      {"move": {"drop": "river"}, "become": {"salt": "sea salt"}}],
        }],
    }],
}


def _error(topic: dict) -> str:
    with pytest.raises(InputError) as info:
        validate(topic, "topic", "topics/t.yaml")
        check_topic(topic, Path("topics/t.yaml"), ROOT)
    return str(info.value)


def _visual(topic: dict) -> dict:
    return topic["sections"][0]["visuals"][0]


@pytest.mark.parametrize("change, field, expected", [
    (lambda v: v["links"].append(["air", "sun"]), "links[4]", "links between the stages: roots, chloro, air"),
    (lambda v: v["links"].append(["air", "air"]), "links[4]", "a link between two different stages"),
    (lambda v: v["links"].append(["air", "chloro"]), "links[4]", "each link once"),
    (lambda v: v["stages"].append("roots"), "stages[3]", "a stage id used once"),
    (lambda v: v["tokens"].append({"id": "o2", "label": "O₂", "at": "sun"}), "tokens[3].at", "a stage: roots"),
    (lambda v: v["tokens"].append({"id": "co2", "label": "O₂", "at": "air"}), "tokens[3]", "a token id used once"),
    (lambda v: v["steps"][0].update(move={"water": "roots"}), "steps[0].move.water",
     "another stage than the one it is at (roots)"),
    (lambda v: v["steps"][0].update(move={"light": "chloro"}), "steps[0].move.light", "a token on screen"),
    (lambda v: v["steps"][2].update(show=["water"]), "steps[2].show[0]", "a hidden token"),
    (lambda v: v["steps"][4].update(hide=["sun"]), "steps[4].hide[0]", "a token on screen"),
    (lambda v: v["steps"][3].update(highlight=["leaf"]), "steps[3].highlight[0]", "a stage: roots, chloro, air"),
    (lambda v: v.update(links=[["roots", "chloro"], ["air", "chloro"]]), "steps[5].move.water",
     "a stage reachable from chloro along the links (arrows): add a link"),
    (lambda v: v["stages"].extend([{"id": f"s{i}", "label": "A long stage name"} for i in range(3)]), "stages",
     "stage and link labels short enough for one row (or layout: column)"),
    (lambda v: v.update(layout="column", stages=v["stages"] + ["a", "b", "c"]), "stages",
     "at most 5 stages in a column layout"),
    (lambda v: v["steps"][0].update(colour=1), "steps[0].colour", "one of the known fields"),
])
def test_bad_specs_are_refused_clearly(change, field, expected):
    topic = copy.deepcopy(LEAF)
    change(_visual(topic))
    message = _error(topic)
    assert f"sections[0].visuals[0].{field}: expected {expected}" in message, message


def test_links_default_to_a_chain_or_a_ring_and_moves_take_the_shortest_path():
    row = {"stages": ["a", "b", "c", "d"]}
    assert [(l["from"], l["to"]) for l in spec_side.links(row)] == [("a", "b"), ("b", "c"), ("c", "d")]
    ring = {**row, "layout": "cycle"}
    assert spec_side.links(ring)[-1] == {"from": "d", "to": "a"}
    assert spec_side.route(ring, "c", "b") == [2, 3, 0]         # c -> d -> a -> b, along the arrows
    assert spec_side.route(row, "c", "b") is None
    assert spec_side.route(_visual(LEAF), "air", "roots") == [3, 1]
    assert spec_side.stacks(_visual(LEAF)) == {"roots": 1, "chloro": 3, "air": 1}


def test_cues_time_the_moves_and_comments_say_what_travels():
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(LEAF, planner.make_outline(LEAF, "leaf"), ROOT, pacing)
    validate(board, "storyboard", "storyboard.json")
    steps = board["sections"][0]["steps"]
    assert steps[1]["changes"] == [{"visual": 0, "step": 0, "beat": 0, "cue": "carried up"}]
    narration = steps[1]["narration"]
    at = codegen.beat_times(steps[1], 4.0)[0]
    assert at == round(4.0 * narration.lower().index("carried up") / len(narration), 2) > 0.5
    code = codegen.generate_scene(board["sections"][0], LEAF, "t.yaml", first_section=False,
                                  voices={"steps": {"2": {"id": "02", "seconds": 4.0}}, "pause": 0.4})
    compile(code, "scene.py", "exec")
    assert f"self.play_changes(process.step(0), at={at:g}" in code
    assert "# process: light -> chloro; light up chloro" in code
    assert "# process: hide light; co2 becomes C₆H₁₂O₆; water becomes O₂" in code


def _apart(a, b, pad=0.0):
    return a[2] <= b[0] + pad or b[2] <= a[0] + pad or a[3] <= b[1] + pad or b[3] <= a[1] + pad


def _boxes(lay, label_sizes):
    out = {f"label{n}": (c[0] - s[0] / 2, c[1] - s[1] / 2, c[0] + s[0] / 2, c[1] + s[1] / 2)
           for n, (c, s) in enumerate(zip(lay.labels, label_sizes)) if c}
    for n, track in enumerate(lay.tracks):
        for k, (p, q) in enumerate(pairwise(track)):  # each straight piece of the arrow
            out[f"arrow{n}.{k}"] = (min(p[0], q[0]) - 0.03, min(p[1], q[1]) - 0.03,
                                    max(p[0], q[0]) + 0.03, max(p[1], q[1]) + 0.03)
    for s, (x, y, w, h) in lay.stages.items():
        out[f"stage:{s}"] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    return out


@pytest.mark.parametrize("layout", ["row", "column"])
def test_layouts_keep_labels_off_arrows_boxes_and_token_slots(layout):
    ids = ["a", "b", "c", "d"]
    links = [{"from": "a", "to": "b", "label": "one"}, {"from": "b", "to": "a", "label": "back"},
             {"from": "b", "to": "c"}, {"from": "c", "to": "d", "label": "three"},
             {"from": "a", "to": "d", "label": "skip"}, {"from": "b", "to": "d", "label": "hop"}]
    sizes = {s: (1.0, 0.4) for s in ids}
    label_sizes = [(0.8, 0.3) if l.get("label") else None for l in links]
    stacks = {"a": 2, "b": 3, "c": 0, "d": 1}
    lay = plan(layout, ids, [dict(l) for l in links], sizes, label_sizes, stacks, {s: 1.2 for s in ids}, 1.2)
    boxes = _boxes(lay, label_sizes)
    for s, count in stacks.items():  # every slot a stage may need, with the widest chip
        for k in range(count):
            x, y, align = lay.slot(s, k)
            left = x if align == "left" else x - 0.6
            boxes[f"slot:{s}{k}"] = (left, y - CHIP_H / 2, left + 1.2, y + CHIP_H / 2)
    names = sorted(boxes)
    for n, a in enumerate(names):
        for b in names[n + 1:]:
            if a.startswith("arrow") and b.startswith(("arrow", "stage")) or \
                    a.startswith("stage") and b.startswith("arrow"):
                continue  # arrows meet boxes and each other at their ends
            if a.startswith(("label", "slot")) or b.startswith(("label", "slot")):
                assert _apart(boxes[a], boxes[b]), (layout, a, b)
    # A label keeps half a chip's height off its arrow, so a travelling token passes it by.
    straight = {n for n, l in enumerate(links) if abs(ids.index(l["from"]) - ids.index(l["to"])) == 1}
    for n in straight:
        if lay.labels[n]:
            x0, y0 = lay.tracks[n][0]
            lx, ly = lay.labels[n]
            gap = abs(ly - y0) - label_sizes[n][1] / 2 if layout == "row" else abs(lx - x0) - label_sizes[n][0] / 2
            assert gap >= CHIP_H / 2, (layout, n, gap)


def _parts_apart(parts, prefix_a, prefix_b):
    a = {k: v for k, v in parts.items() if k.startswith(prefix_a)}
    b = {k: v for k, v in parts.items() if k.startswith(prefix_b)}
    for ka, va in a.items():
        for kb, vb in b.items():
            if ka != kb:
                assert _apart(va, vb), (ka, kb)


@pytest.mark.render
def test_photosynthesis_tokens_travel_and_turn_into_outputs(tmp_path):
    built = build(tmp_path, LEAF, voices={1: 3.0, 2: 3.5, 3: 3.0, 4: 1.5, 5: 3.0, 6: 3.0, 7: 3.5})
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]

    def under(parts, token, stage, slot=0):
        t, s = parts[f"token:{token}"], parts[f"stage:{stage}"]
        assert center(t)[0] == pytest.approx(center(s)[0], abs=0.02), (token, stage)
        pitch = (t[3] - t[1]) * (1 + 0.1 / CHIP_H)
        assert s[1] - t[3] == pytest.approx(0.14 / CHIP_H * (t[3] - t[1]) + slot * pitch, abs=0.03), (token, slot)

    start = done.after_entrance("process")
    under(start, "water", "roots")
    under(start, "co2", "air")
    assert "token:light" not in start
    after = [done.after_step("process", k) for k in range(6)]
    under(after[0], "water", "chloro")
    under(after[1], "co2", "chloro", slot=1)              # stacked under the water
    under(after[2], "light", "air")                         # appears where CO₂ was
    under(after[3], "light", "chloro", slot=2)
    assert after[3]["stage:chloro"][4].upper() == ACCENT     # lit for this step
    assert after[4]["stage:chloro"][4].upper() == PANEL
    assert "token:light" not in after[4]
    width = lambda parts, t: parts[f"token:{t}"][2] - parts[f"token:{t}"][0]
    assert width(after[4], "co2") > 1.5 * width(after[3], "co2")          # CO₂ became C₆H₁₂O₆
    under(after[5], "water", "air")                          # O₂ out to the air
    under(after[5], "co2", "roots")                          # glucose down the phloem
    for parts in [start, *after]:
        _parts_apart(parts, "link_label:", "link:")          # labels never on an arrow
        _parts_apart(parts, "link_label:", "token:")
        _parts_apart(parts, "link_label:", "stage:")
        _parts_apart(parts, "token:", "token:")
        _parts_apart(parts, "token:", "stage")
        for s in ("roots", "chloro", "air"):
            assert inside(parts[f"stage_label:{s}"], parts[f"stage:{s}"])
    # The water sets off when the voice says "carried up".
    lines = built.scene.read_text().splitlines()
    line = next(t for t in lines if "process.step(0)" in t)
    at = float(line.split("at=")[1].split(",")[0].rstrip(")"))
    plays = [s for s in done.snapshots if s["after"] == "play" and "process.step(0)" in lines[s["line"] - 1]]
    assert done.play_start(plays[0]) == pytest.approx(done.voice_start(2) + at, abs=0.15)


@pytest.mark.render
def test_water_cycle_tokens_go_round_the_ring(tmp_path):
    built = build(tmp_path, WATER)
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]
    start = done.after_entrance("process")
    ring = center([min(v[0] for k, v in start.items() if k.startswith("stage:")),
                   min(v[1] for k, v in start.items() if k.startswith("stage:")),
                   max(v[2] for k, v in start.items() if k.startswith("stage:")),
                   max(v[3] for k, v in start.items() if k.startswith("stage:"))])

    def parked(parts, token, stage):  # beside its stage, on the side towards the ring's centre
        t, s = center(parts[f"token:{token}"]), center(parts[f"stage:{stage}"])
        dist = lambda p: ((p[0] - ring[0]) ** 2 + (p[1] - ring[1]) ** 2) ** 0.5
        assert dist(t) < dist(s) and ((t[0] - s[0]) ** 2 + (t[1] - s[1]) ** 2) ** 0.5 < 2.0, (token, stage)

    parked(start, "drop", "sea")
    parked(start, "salt", "sea")
    after = [done.after_step("process", k) for k in range(3)]
    parked(after[0], "drop", "cloud")
    parked(after[2], "drop", "river")                        # two links on: clouds -> rain -> rivers
    assert after[2]["token:salt"][2] - after[2]["token:salt"][0] > start["token:salt"][2] - start["token:salt"][0]
    for parts in [start, *after]:
        _parts_apart(parts, "link_label:", "token:")
        _parts_apart(parts, "link_label:", "stage:")
        _parts_apart(parts, "link_label:", "link_label:")
        _parts_apart(parts, "token:", "token:")
        _parts_apart(parts, "token:", "stage")
