"""Stepped ``equation`` and ``derivation``: terms pointed at, forms that turn into each other part by part."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from conftest import ROOT
from lessonreel import codegen, kinds, layout, planner
from lessonreel.errors import InputError
from lessonreel.kinds.formulas import part_problem, tex_pieces
from lessonreel.schemas import validate
from lessonreel.topic import check_topic
from stepped import build, center, inside, render

PYTHAGORAS = {
    "title": "Pythagoras",
    "sections": [{
        "title": "The theorem at work",
        "lines": ["The legs and the hypotenuse", "Square the first leg", "The square on the hypotenuse",
                  "Solve for c", "The root of the sum", "A triangle with legs 6 and 8", "Square each leg",
                  "Add them up"],
        "narration": ["A right triangle has two legs and a hypotenuse.",
                      "The first leg, a, is squared.",
                      "On the other side stands the square on the hypotenuse.",
                      "Solving for c gives the root of the sum.",
                      "The root of the whole sum, not of each square.",
                      "Take a triangle with legs six and eight.",
                      "Squaring each leg gives thirty-six and sixty-four.",
                      "Together they make one hundred, which is c squared."],
        "visuals": [
            {"kind": "equation", "line": 1, "tex": "a^2 + b^2 = c^2", "steps": [
                {"highlight": "a^2", "color": "#60A5FA", "label": "leg a, squared"},
                {"highlight": "c^2", "box": True, "cue": "the square on the hypotenuse"},
                {"to": r"c = \sqrt{a^2 + b^2}"},
                {"highlight": r"\sqrt{a^2 + b^2}", "box": True}]},
            {"kind": "derivation", "line": 6, "steps": [
                {"tex": "6^2 + 8^2 = c^2", "line": 6, "highlight": "c^2", "color": "green"},
                {"tex": "36 + 64 = c^2", "highlight": "36 + 64", "label": "square each leg"},
                {"tex": "100 = c^2", "highlight": "c^2", "color": "green", "box": True}]},
        ],
    }],
}


def _error(topic: dict) -> str:
    with pytest.raises(InputError) as info:
        validate(topic, "topic", "topics/t.yaml")
        check_topic(topic, Path("topics/t.yaml"), ROOT)
    return str(info.value)


def _board(topic: dict) -> dict:
    pacing = {"seconds_per_word": 0.3, "min_step_seconds": 2, "max_step_seconds": 14}
    board = planner.make_storyboard(topic, planner.make_outline(topic, "t"), ROOT, pacing)
    validate(board, "storyboard", "storyboard.json")
    return board


# ------------------------------------------------------------- spec side ---

def test_pieces_are_terms_operators_and_the_ends_of_roots_and_fractions():
    def pieces(tex, cuts=()):
        return [tex[s:e] for s, e in tex_pieces(tex, cuts)]

    assert pieces("a^2 + b^2 = c^2") == ["a^2", "+", "b^2", "=", "c^2"]
    assert pieces(r"c = \sqrt{a^2 + b^2}") == ["c", "=", r"\sqrt{", "a^2", "+", "b^2", "}"]
    assert pieces(r"\frac{n(n+1)}{2}") == [r"\frac{", "n", "(", "n", "+", "1", ")", "}{", "2", "}"]
    assert pieces(r"\sum_{i=1}^{n} i") == [r"\sum_{i=1}^{n}", "i"]
    assert pieces(r"\begin{pmatrix} 1 & 2 \end{pmatrix}") == [r"\begin{pmatrix} 1 & 2 \end{pmatrix}"]
    assert pieces("a^2 + b", cuts=[1]) == ["a", "^2", "+", "b"]  # a marked part is a piece boundary
    assert part_problem(r"\frac{a}{b}", r"\frac{a") and part_problem(r"\alpha", "alp")
    assert part_problem("a^2 + b^2", "b^2") is None


def test_plain_equations_and_string_derivations_are_drawn_as_before():
    topic = {"title": "T", "sections": [{"title": "S", "lines": ["one", "two"], "visuals": [
        {"kind": "equation", "tex": "E = mc^2"},
        {"kind": "derivation", "steps": ["x + 1 = 3", "x = 2"]}]}]}
    for visual in topic["sections"][0]["visuals"]:
        assert not kinds.stepped(visual) and layout.row_range(visual) == (2, 3)
    validate(topic, "topic", "t.yaml")
    check_topic(topic, Path("t.yaml"), ROOT)
    code = codegen.generate_scene(_board(topic)["sections"][0], topic, "t.yaml", first_section=False)
    assert "V.equation(" in code and "V.derivation(" in code and "TransformMatchingShapes" in code
    assert "_steps(" not in code and ".step(" not in code


@pytest.mark.parametrize("visual, change, field, expected", [
    (0, lambda v: v["steps"][0].update(highlight="d^2"), "steps[0].highlight",
     "a part of the formula shown at that step ('a^2 + b^2 = c^2'), got 'd^2'"),
    (0, lambda v: v["steps"][3].update(highlight="c^2"), "steps[3].highlight",  # the form after `to` counts
     r"a part of the formula shown at that step ('c = \\sqrt{a^2 + b^2}')"),
    (0, lambda v: v["steps"][2].update(to=r"\input{/etc/passwd}"), "steps[2].to",
     r"safe TeX math: the command \input is not allowed"),
    (0, lambda v: v["steps"][1].update(highlight=r"\sqrt"), "steps[1].highlight", "a part of the formula"),
    (0, lambda v: v["steps"][1].pop("highlight"), "steps[1].box", "a `highlight` in the same step"),
    (0, lambda v: v["steps"].append({"cue": "root"}), "steps[4]", "a change: `to` (the formula's next form)"),
    (0, lambda v: v["steps"][0].update(color="mauve"), "steps[0].color", None),
    (1, lambda v: v["steps"].insert(1, "35 + 64 = c^2"), "steps[1]",
     "an object {tex: ...} like the derivation's other steps"),
    (1, lambda v: v["steps"][1].update(tex=r"\write18{rm}"), "steps[1].tex",
     r"safe TeX math: the command \write is not allowed"),
    (1, lambda v: v["steps"][2].update(highlight=r"\frac{1"), "steps[2].highlight",
     "a part of the formula shown at that step ('100 = c^2')"),
])
def test_bad_formula_steps_are_refused_clearly(visual, change, field, expected):
    topic = copy.deepcopy(PYTHAGORAS)
    change(topic["sections"][0]["visuals"][visual])
    message = _error(topic)
    prefix = f"topics/t.yaml: sections[0].visuals[{visual}].{field}: expected "
    assert message.startswith(prefix + (expected or "")), message


def test_formula_steps_are_planned_and_played_where_their_cue_is_said():
    equation, derivation = PYTHAGORAS["sections"][0]["visuals"]
    assert kinds.builder(equation) == "equation_steps" and kinds.builder(derivation) == "derivation_steps"
    assert layout.row_range(equation) == (3, 4)  # a label needs a row under the formula
    board = _board(PYTHAGORAS)
    steps = board["sections"][0]["steps"]
    assert steps[2]["changes"] == [{"visual": 0, "step": 1, "beat": 0, "cue": "the square on the hypotenuse"}]
    assert steps[5]["changes"] == [{"visual": 1, "step": 0, "beat": 0}]  # the first form's own marks
    narration = steps[2]["narration"]
    at = round(3.0 * narration.lower().index("the square on the hypotenuse") / len(narration), 2)
    code = codegen.generate_scene(board["sections"][0], PYTHAGORAS, "t.yaml", first_section=False,
                                  voices={"steps": {"3": {"id": "03", "seconds": 3.0}}, "pause": 0.4})
    compile(code, "scene.py", "exec")
    assert "equation = V.equation_steps(" in code and "derivation = V.derivation_steps(" in code
    assert f"self.play_changes(equation.step(1), at={at:g}" in code
    assert r"# equation: -> c = \sqrt{a^2 + b^2}" in code
    assert "# derivation: -> 36 + 64 = c^2; highlight 36 + 64, label 'square each leg'" in code
    assert "TransformMatchingShapes" not in code


# ---------------------------------------------------------------- render ---

@pytest.mark.render
def test_terms_are_marked_and_forms_turn_into_each_other(tmp_path):
    built = build(tmp_path, PYTHAGORAS)
    done = render(tmp_path, built)
    assert done.score == 100, done.report["problems"]
    eq = [done.after_step("equation", k) for k in range(4)]
    # Step 0: a^2 turns blue, a brace and its label under it.
    assert eq[0]["term:a^2"][4].upper() == "#60A5FA"
    term, brace, label = eq[0]["term:a^2"], eq[0]["brace"], eq[0]["label"]
    assert brace[3] <= term[1] + 0.02 and label[3] <= brace[1] + 0.02
    assert center(brace)[0] == pytest.approx(center(term)[0], abs=0.03)
    # Step 1: c^2 boxed and lit for this step; the brace left; a^2 stays blue, in its place.
    assert inside(eq[1]["term:c^2"], eq[1]["box"]) and "brace" not in eq[1] and "label" not in eq[1]
    assert eq[1]["term:c^2"][4].upper() == "#FBBF24"
    assert eq[1]["term:a^2"][4].upper() == "#60A5FA"
    assert eq[1]["term:a^2"][:4] == pytest.approx(eq[0]["term:a^2"][:4], abs=0.01)
    # Step 2: the new form is shown; the old one's parts and marks are gone.
    assert "term:c^2" not in eq[2] and "box" not in eq[2]
    assert eq[2]["form"][:4] != pytest.approx(eq[1]["form"][:4], abs=0.05)
    assert center(eq[2]["eq"])[0] < center(eq[2]["form"])[0] < center(eq[1]["eq"])[0]
    # Step 3: a part of the new form is boxed.
    assert inside(eq[3][r"term:\sqrt{a^2 + b^2}"], eq[3]["box"])
    assert inside(eq[3]["box"], eq[3]["form"], tol=0.2)

    der = [done.after_step("derivation", k) for k in range(3)]
    # The first form's c^2 turns green; through both new forms the = sign and c^2 keep their place.
    for k in range(3):
        assert der[k]["eq"][:4] == pytest.approx(der[0]["eq"][:4], abs=0.01)
    assert der[0]["term:c^2"][4].upper() == "#34D399"
    assert der[1]["term:36 + 64"][4].upper() == "#FBBF24" and "label" in der[1]
    assert inside(der[2]["term:c^2"], der[2]["box"]) and "label" not in der[2]
    assert der[2]["term:c^2"][4].upper() == "#34D399"
    assert der[2]["term:c^2"][:4] == pytest.approx(der[0]["term:c^2"][:4], abs=0.02)
    assert der[2]["form"][2] == pytest.approx(der[0]["form"][2], abs=0.02)  # the right side stayed put
    assert der[2]["form"][0] > der[0]["form"][0] + 0.5  # the left side shrank towards the =
