"""The ``plot`` and ``number_line`` kinds when they change step by step.

A stepped plot has a point on its curve that travels along it (its tangent
line or velocity arrow following), an area under the curve that fills, more
functions drawn in turn (``also``), and a parameter the function uses, swept
so the graph changes continuously. A plot with none of ``steps``, ``point``,
``also``, ``area`` or ``parameter`` is the plain plot drawn by ``V.plot``.

A stepped number line has a marker that hops along it and is relabelled
(x, x + 3, ...) and fixed marks that appear. Without ``steps`` or ``marker``
it is the plain ``V.number_line``.
"""

from __future__ import annotations

import math

from .. import expr
from ..texcheck import tex_problem
from .common import Fail, check_index

KINDS = ("plot", "number_line")
PLOT_STEPPED = ("steps", "point", "also", "area", "parameter")
LINE_STEPPED = ("steps", "marker")


def stepped(visual: dict) -> bool:
    keys = PLOT_STEPPED if visual["kind"] == "plot" else LINE_STEPPED
    return any(visual.get(k) is not None for k in keys)


def builder(visual: dict) -> str:
    return "plot_steps" if visual["kind"] == "plot" else "number_line_steps"


# -------------------------------------------------------------- checks ---

def _range(fail: Fail, field: str, r) -> bool:
    if not r:
        return False
    if not r[0] < r[1]:
        fail(field, "[min, max] with min < max", r)
    if len(r) == 3 and not 0 < r[2] <= r[1] - r[0]:
        fail(field, "a step between 0 and max - min", r)
    return True


def _inside(fail: Fail, field: str, value, lo: float, hi: float, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        fail(field, f"{what} from {lo:g} to {hi:g}", value)


def _tex(fail: Fail, field: str, text) -> None:
    if text:
        problem = tex_problem(str(text))
        if problem:
            fail(field, f"safe TeX math: {problem}", text)


def _function(fail: Fail, field: str, function: str, names: tuple) -> object:
    try:
        return expr.compile_function(function, names)
    except expr.ExpressionError as exc:
        of = f"x and {names[0]}" if names else "x"
        fail(field, f"a function of {of} ({exc})", function)


def _defined(fail: Fail, field: str, f, x: float, values: dict, what: str) -> None:
    try:
        y = float(f(float(x), **values))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        y = math.nan
    if not math.isfinite(y):
        fail(field, what, x)


def check_plot(visual: dict, fail: Fail) -> None:
    xr = visual["x_range"]
    _range(fail, "x_range", xr)
    _range(fail, "y_range", visual.get("y_range"))
    lo, hi = xr[0], xr[1]
    param = visual.get("parameter")
    names: tuple = ()
    values: dict = {}
    if param:
        try:
            expr.check_name(param["name"])
        except expr.ExpressionError as exc:
            fail("parameter.name", f"a parameter name ({exc})", param["name"])
        names = (param["name"],)
        if not param["from"] < param["to"]:
            fail("parameter", "from < to", [param["from"], param["to"]])
        _inside(fail, "parameter.value", param.get("value", param["from"]), param["from"], param["to"],
                "a value of the parameter")
        _tex(fail, "parameter.label", param.get("label"))
        values = {param["name"]: float(param.get("value", param["from"]))}
    f = _function(fail, "function", visual["function"], names)
    also = visual.get("also") or []
    for i, other in enumerate(also):
        _function(fail, f"also[{i}].function", other["function"], names)
        _tex(fail, f"also[{i}].label", other.get("label"))
    point = visual.get("point")
    defined = "an x where the function is defined"
    if point:
        _inside(fail, "point.x", point["x"], lo, hi, "an x inside x_range")
        _defined(fail, "point.x", f, point["x"], values, defined)
        _tex(fail, "point.label", point.get("label"))
        _tex(fail, "point.tangent_label", point.get("tangent_label"))
    area = visual.get("area")
    if area:
        _area(fail, "area", area, lo, hi)
    for k, step in enumerate(visual.get("steps") or []):
        at = f"steps[{k}]."
        if "parameter" in step:
            if not param:
                fail(f"{at}parameter", "a `parameter` on the visual to sweep (parameter: {name: a, from: .., to: ..})",
                     step["parameter"])
            _inside(fail, f"{at}parameter", step["parameter"], param["from"], param["to"],
                    f"a value of {param['name']}")
            values = {param["name"]: float(step["parameter"])}
        if "point" in step:
            if not point:
                fail(f"{at}point", "a `point` on the visual to move (point: {x: ..})", step["point"])
            _inside(fail, f"{at}point", step["point"], lo, hi, "an x inside x_range")
            _defined(fail, f"{at}point", f, step["point"], values, defined)
        if step.get("area") is not None:
            _area(fail, f"{at}area", step["area"], lo, hi)
        shows = step.get("show")
        for i, index in enumerate([shows] if isinstance(shows, int) else shows or []):
            field = f"{at}show" if isinstance(shows, int) else f"{at}show[{i}]"
            if not also:
                fail(field, "an index of `also`, which is empty: list the functions to show in `also`", index)
            check_index(fail, field, index, len(also), "an index of `also`")


def _area(fail: Fail, field: str, bounds, lo: float, hi: float) -> None:
    for i, b in enumerate(bounds):
        _inside(fail, f"{field}[{i}]", b, lo, hi, "a bound inside x_range")
    if not bounds[0] < bounds[1]:
        fail(field, "[from, to] with from < to", bounds)


def check_line(visual: dict, fail: Fail) -> None:
    r = visual["range"]
    _range(fail, "range", r)
    lo, hi = r[0], r[1]
    marker = visual.get("marker")
    if marker:
        _inside(fail, "marker.value", marker["value"], lo, hi, "a value on the line")
    for k, step in enumerate(visual.get("steps") or []):
        at = f"steps[{k}]."
        if ("marker" in step or "label" in step) and not marker:
            key = "marker" if "marker" in step else "label"
            fail(f"{at}{key}", "a `marker` on the visual to move (marker: {value: .., label: ..})", step[key])
        if "marker" in step:
            _inside(fail, f"{at}marker", step["marker"], lo, hi, "a value on the line")
        for i, mark in enumerate(step.get("mark") or []):
            _inside(fail, f"{at}mark[{i}].value", mark["value"], lo, hi, "a value on the line")


def check(visual: dict, fail: Fail) -> None:
    if not stepped(visual):
        return  # the plain kinds: topic.check_topic checks them as before
    if visual["kind"] == "plot":
        check_plot(visual, fail)
    else:
        check_line(visual, fail)


# ------------------------------------------------------------- pacing ---

def rows(visual: dict) -> tuple[int, int] | None:
    if not stepped(visual):
        return None
    if visual["kind"] == "plot":
        return 4, 6
    return 2, 3  # room for the marker's hop and its label (a lane higher over labelled marks)


def seconds(visual: dict) -> float | None:
    if not stepped(visual):
        return None
    if visual["kind"] == "plot":
        return 3.0 + sum(0.8 for key in ("point", "area", "parameter") if visual.get(key))
    return 2.0 + 0.4 * len(visual.get("points") or []) + (0.6 if visual.get("marker") else 0.0)


def step_seconds(visual: dict, step: dict) -> float:
    if visual["kind"] == "plot":
        shows = step.get("show")
        n_shows = 1 if isinstance(shows, int) else len(shows or [])
        moves = sum(1 for key in ("point", "area", "parameter") if key in step)
        return 1.0 + 1.2 * moves + 1.0 * n_shows
    return 1.0 + (1.0 if "marker" in step else 0.0) + (0.5 if "label" in step else 0.0) \
        + 0.4 * len(step.get("mark") or [])


def describe(visual: dict, step: dict) -> str:
    parts = []
    if visual["kind"] == "plot":
        shows = step.get("show")
        for index in [shows] if isinstance(shows, int) else shows or []:
            other = (visual.get("also") or [])[index]
            parts.append(f"show {other.get('label') or other['function']}")
        if "parameter" in step:
            parts.append(f"{visual['parameter']['name']} -> {step['parameter']:g}")
        if "point" in step:
            parts.append(f"point -> x = {step['point']:g}")
        if "area" in step:
            parts.append("area off" if step["area"] is None else f"area {step['area'][0]:g}..{step['area'][1]:g}")
    else:
        if "marker" in step:
            parts.append(f"marker -> {step['marker']:g}")
        if "label" in step:
            parts.append(f"label {step['label']}")
        for mark in step.get("mark") or []:
            parts.append(f"mark {mark['value']:g}" + (f" ({mark['label']})" if mark.get("label") else ""))
    return "; ".join(parts) or "no change"
