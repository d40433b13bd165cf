"""Stepped ``equation`` and ``derivation`` visuals: marked terms and forms that turn into each other.

Every form is one ``MathTex`` cut into pieces (:func:`lessonreel.kinds.formulas.tex_pieces`),
so a step can colour, box or label a part, and a new form takes the old one's
place by moving the pieces both share (same TeX) to where they are now; a
piece that changed (``6^2`` -> ``36``) fades into its successor on the way,
the rest fade out and in. When every form has an ``=`` and room allows, the
``=`` stays put from form to form, so the side that did not change stays too.

Named parts for the layout trace: ``form`` (the formula on screen), ``eq``
(its first ``=``), ``term:<TeX>`` (each marked part of it), ``box``,
``brace`` and ``label`` while shown.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, RIGHT, UP, AnimationGroup, Brace, Create, FadeIn, FadeOut, FadeTransform, GrowFromCenter, MathTex,
    Rectangle, SurroundingRectangle, Text, Transform, VGroup, Write,
)

from .. import theme
from ..kinds.formulas import find_part, piece_key, tex_pieces
from .common import Size, shrink_to
from .stepped import Change, Stepped

MARGIN = 0.16        # room around the formula for a box's stroke
LABEL_ROOM = 0.9     # a brace and a line of label under the formula
GROW = 1.4
COLORS = {"blue": theme.BLUE, "green": theme.GREEN, "yellow": theme.ACCENT, "pink": theme.PINK,
          "purple": theme.PURPLE, "red": "#F87171"}


def colour(name: str | None) -> str:
    return COLORS.get(name, name) if name else theme.ACCENT


class MorphForms(AnimationGroup):
    """One form turns into the next: shared pieces move, changed ones fade into their successors.

    Like Manim's TransformMatchingTex, at the end the old form leaves the scene
    and the new one is in it, whole.
    """

    def __init__(self, old, new, pairs, changed, gone, fresh, **kwargs):
        anims = []
        if pairs:
            anims.append(Transform(VGroup(*[a for a, _ in pairs]), VGroup(*[b for _, b in pairs])))
        anims += [FadeTransform(a, b.copy()) for a, b in changed]
        if gone:
            anims.append(FadeOut(VGroup(*gone), shift=DOWN * 0.15))
        self.fresh = VGroup(*fresh).copy()
        if fresh:
            anims.append(FadeIn(self.fresh, shift=UP * 0.15))
        super().__init__(*anims, **kwargs)
        self.old, self.new = old, new

    def clean_up_from_scene(self, scene) -> None:
        for anim in self.animations:
            anim.interpolate(0)
        scene.remove(self.mobject, self.old, self.fresh)
        scene.add(self.new)


def _match(old: list, new: list) -> tuple[list, list, list, list]:
    """(pairs, changed, gone, fresh) between two forms' pieces.

    Pieces with the same key pair up in order; of the rest, pieces that sit
    between the same pairs (the same gap) pair up as changed; the others leave
    or arrive.
    """
    used_old, pairs = set(), []
    for j, b in enumerate(new):
        for i, a in enumerate(old):
            if i not in used_old and a.lesson_key == b.lesson_key:
                used_old.add(i)
                pairs.append((i, j))
                break
    used_new = {j for _, j in pairs}

    def gaps(items, used):
        out, gap = {}, 0
        for n in range(len(items)):
            if n in used:
                gap += 1
            else:
                out.setdefault(gap, []).append(n)
        return out

    old_gaps = gaps(old, used_old)
    new_gaps = gaps(new, used_new)
    # A gap is counted in pairs matched in order; crossings make gaps meaningless, so pair only then.
    in_order = [j for _, j in sorted(pairs)] == sorted(j for _, j in pairs)
    changed, gone, fresh = [], [], []
    for gap in sorted(set(old_gaps) | set(new_gaps)):
        a_list, b_list = old_gaps.get(gap, []), new_gaps.get(gap, [])
        if in_order:
            for a, b in zip(a_list, b_list):
                changed.append((old[a], new[b]))
            a_list, b_list = a_list[len(b_list):], b_list[len(a_list):]
        gone += [old[a] for a in a_list]
        fresh += [new[b] for b in b_list]
    return [(old[i], new[j]) for i, j in pairs], changed, gone, fresh


class FormulaSteps(Stepped):
    """Forms of a formula, the marks of each step, and the transforms between forms."""

    def __init__(self, size: Size, first: str, plans: list[dict], steps: list[dict]):
        super().__init__(steps)
        self.plans = plans            # per step: {"form": index or None (no new form), marks...}
        texts = [first] + [p["tex"] for p in plans if p.get("tex") is not None]
        marked: list[list[str]] = [[] for _ in texts]
        form = 0
        for plan in plans:
            form += 1 if plan.get("tex") is not None else 0
            if plan.get("highlight"):
                marked[form].append(plan["highlight"])
            plan["form"] = form
        self.forms = [self._build(tex, parts) for tex, parts in zip(texts, marked)]
        self._arrange(size, any(p.get("label") for p in plans))
        self.form = self.forms[0]
        self.add(self.form)
        self._name_parts(self.form)
        self.lasting: dict[str, str] = {}     # piece key -> colour a step gave it
        self.transient: list = []             # pieces lit for one step
        self.box = self.brace = self.label = None
        shrink_to(self, size)

    # ------------------------------------------------------------ forms ---
    def _build(self, tex: str, parts: list[str]) -> MathTex:
        spans = [find_part(tex, p) for p in parts]
        cuts = [c for span in spans if span for c in span]
        pieces = tex_pieces(tex, cuts)
        form = MathTex(*[tex[s:e] for s, e in pieces], font_size=theme.EQUATION_FONT_SIZE, color=theme.TEXT)
        for (s, e), mob in zip(pieces, form.submobjects):
            mob.lesson_span, mob.lesson_key = (s, e), piece_key(tex[s:e])
        form.lesson_pieces = [m for m in form.submobjects if len(m.get_family()) > 1 or m.has_points()]
        form.lesson_terms = {}
        form.lesson_spans = {p: span for p, span in zip(parts, spans)}
        for part, span in sorted(zip(parts, spans), key=lambda ps: -(ps[1][1] - ps[1][0]) if ps[1] else 0):
            if span and part not in form.lesson_terms:
                form.lesson_terms[part] = _group(form, *span)
        form.lesson_eq = next((m for m in form.lesson_pieces if m.lesson_key == "="), None)
        return form

    def _arrange(self, size: Size, labels: bool) -> None:
        """One scale for all forms, and each form's place (the ``=`` kept in one place when it fits)."""
        width, height = size
        room_h = height - 2 * MARGIN - (LABEL_ROOM if labels else 0)
        widest = max(f.width for f in self.forms)
        tallest = max(f.height for f in self.forms)
        aligned = all(f.lesson_eq is not None for f in self.forms) and len(self.forms) > 1
        if aligned:  # room for the widest left side and the widest right side of the =, and so in height
            eqs = [(f, f.lesson_eq.get_center()) for f in self.forms]
            left = max(e[0] - f.get_left()[0] for f, e in eqs)
            right = max(f.get_right()[0] - e[0] for f, e in eqs)
            above = max(f.get_top()[1] - e[1] for f, e in eqs)
            below = max(e[1] - f.get_bottom()[1] for f, e in eqs)
            aligned = left + right <= 1.15 * widest and above + below <= 1.15 * tallest
        span, high = (left + right, above + below) if aligned else (widest, tallest)
        factor = min(GROW, (width - 2 * MARGIN) / span, room_h / high)
        for f in self.forms:
            f.scale(factor)
        self.slot = Rectangle(width=span * factor + 2 * MARGIN, height=high * factor + 2 * MARGIN,
                              stroke_opacity=0, fill_opacity=0)
        self.add(self.slot)
        self.set_reference(self.slot)
        centre = self.slot.get_center()
        for f in self.forms:
            f.move_to(centre)
            if aligned:  # every = at one place
                target = centre + np.array([left - right, below - above, 0]) * factor / 2
                f.shift(target - f.lesson_eq.get_center())
            f.lesson_offset = f.get_center() - centre
            f.lesson_unit = 1.0
        if labels:
            widest = max(_label(p["label"]).width for p in self.plans if p.get("label")) + 0.1
            self.label_slot = Rectangle(width=min(width, max(self.slot.width, widest)), height=LABEL_ROOM,
                                        stroke_opacity=0, fill_opacity=0)
            self.label_slot.next_to(self.slot, DOWN, buff=0)
            self.add(self.label_slot)

    def _name_parts(self, form) -> None:
        for name in [n for n in self.lesson_parts if n.startswith("term:") or n == "eq"]:
            del self.lesson_parts[name]
        self.part("form", form)
        if form.lesson_eq is not None:
            self.part("eq", form.lesson_eq)
        for tex, group in form.lesson_terms.items():
            if group is not None:
                self.part(f"term:{tex}", group)

    def _place(self, form) -> None:
        """Put a form that was not on screen where it belongs now (the visual may have been moved and scaled)."""
        unit = self.unit
        form.scale(unit / form.lesson_unit)
        form.lesson_unit = unit
        form.move_to(self.slot.get_center() + form.lesson_offset * unit)

    @staticmethod
    def _sync_terms(form, colours: dict) -> None:
        """Give each marked part's group the colour its pieces end up in (the trace reads the group's)."""
        for group in form.lesson_terms.values():
            pieces = [p for p in form.lesson_pieces if p in group.get_family()] if group is not None else []
            if pieces:
                c = colours.get(id(pieces[0])) or pieces[0].get_fill_color().to_hex()
                group.set_color(c, family=False)

    def colour_of(self, piece) -> str:
        return self.lasting.get(piece.lesson_key, theme.TEXT)

    # ------------------------------------------------------- animations ---
    def entrance(self) -> Change:
        return Change(self, [lambda: [Write(self.form)]])

    def step(self, index: int) -> Change:
        plan = self.plans[index]
        phases = []
        if plan.get("tex") is not None:
            phases.append(lambda: self._morph(self.forms[plan["form"]]))
        if plan.get("highlight"):
            phases.append(lambda: self._mark(plan))
        return Change(self, phases)

    def _unmark_all(self) -> list:
        anims = [FadeOut(m) for m in (self.box, self.brace, self.label) if m is not None]
        for m in (self.box, self.brace, self.label):
            if m is not None:
                self.remove(m)
        for name in ("box", "brace", "label"):
            self.lesson_parts.pop(name, None)
        self.box = self.brace = self.label = None
        self.transient = []
        return anims

    def _morph(self, new) -> list:
        old = self.form
        anims = self._unmark_all()
        self._place(new)
        for piece in new.lesson_pieces:
            piece.set_color(self.colour_of(piece))
        self._sync_terms(new, {})
        pairs, changed, gone, fresh = _match(old.lesson_pieces, new.lesson_pieces)
        anims.append(MorphForms(old, new, pairs, changed, gone, fresh))
        self.remove(old)
        self.add(new)
        self.form = new
        self._name_parts(new)
        return anims

    def _mark(self, plan: dict) -> list:
        form = self.form
        term = form.lesson_terms.get(plan["highlight"])
        if term is None:  # a part that crosses another marked one: its pieces, loosely
            s, e = form.lesson_spans[plan["highlight"]]
            term = VGroup(*[p for p in form.lesson_pieces if s <= p.lesson_span[0] and p.lesson_span[1] <= e])
        pieces = [p for p in form.lesson_pieces if p in term.get_family()]
        col = colour(plan.get("color"))
        if plan.get("color"):
            for p in pieces:
                self.lasting[p.lesson_key] = col
        targets = {id(p): (p, self.colour_of(p)) for p in self.transient}
        for p in pieces:
            targets[id(p)] = (p, col)
        self.transient = [] if plan.get("color") else pieces
        anims = [p.animate.set_color(c) for p, c in targets.values()
                 if p.get_fill_color().to_hex().lower() != c.lower()]
        self._sync_terms(form, {key: c for key, (_, c) in targets.items()})
        unit = self.unit
        box = SurroundingRectangle(term, buff=0.1 * unit, color=col, stroke_width=4,
                                   corner_radius=0.08 * unit) if plan.get("box") else None
        brace = label = None
        if plan.get("label"):
            brace = Brace(term, DOWN, buff=0.1 * unit, color=col)
            brace.shift(UP * (form.get_bottom()[1] - 0.08 * unit - brace.get_top()[1]))
            label = _label(plan["label"], col)
            if label.width > self.label_slot.width / unit:
                label.scale_to_fit_width(self.label_slot.width / unit)
            label.scale(unit).next_to(brace, DOWN, buff=0.08 * unit)
            left, right = self.label_slot.get_left()[0], self.label_slot.get_right()[0]
            label.shift(max(0, left - label.get_left()[0]) * RIGHT - max(0, label.get_right()[0] - right) * RIGHT)
        for name, new, grow in (("box", box, Create), ("brace", brace, GrowFromCenter), ("label", label, FadeIn)):
            old = getattr(self, name)
            if old is not None and new is not None:
                anims.append(Transform(old, new))
            elif old is not None:
                anims.append(FadeOut(old))
                self.remove(old)
                self.lesson_parts.pop(name, None)
                setattr(self, name, None)
            elif new is not None:
                anims.append(grow(new))
                self.add(new)
                self.part(name, new)
                setattr(self, name, new)
        return anims


def _label(text: str, color: str = theme.TEXT) -> Text:
    return Text(text, font=theme.font_for(text), font_size=theme.LABEL_FONT_SIZE, color=color)


def _group(form, start: int, end: int):
    """Gather the pieces of ``form`` inside [start, end) into one VGroup in its tree (None if they cross a group)."""
    node = form
    while True:
        inner = [c for c in node.submobjects if getattr(c, "lesson_group", False)
                 and c.lesson_span[0] <= start and end <= c.lesson_span[1]]
        if not inner:
            break
        node = inner[0]
    kids = node.submobjects
    inside = [n for n, c in enumerate(kids) if start <= c.lesson_span[0] and c.lesson_span[1] <= end]
    crossing = [c for c in kids if c.lesson_span[0] < end and c.lesson_span[1] > start
                and not (start <= c.lesson_span[0] and c.lesson_span[1] <= end)]
    if not inside or crossing or inside != list(range(inside[0], inside[-1] + 1)):
        return None
    if len(inside) == len(kids) and node is not form:
        return node
    group = VGroup(*kids[inside[0]:inside[-1] + 1])
    group.lesson_group, group.lesson_span = True, (start, end)
    node.submobjects = kids[:inside[0]] + [group] + kids[inside[-1] + 1:]
    return group


# ------------------------------------------------------------ builders ---

def _plan(step: dict, tex: str | None) -> dict:
    plan = {k: step[k] for k in ("highlight", "color", "label", "box") if k in step}
    plan["tex"] = tex
    return plan


def equation_steps(size: Size, tex: str, steps: list[dict]) -> FormulaSteps:
    """An equation whose terms are pointed at and which turns into new forms; see ``kinds.formulas``."""
    return FormulaSteps(size, tex, [_plan(s, s.get("to")) for s in steps], steps)


def derivation_steps(size: Size, steps: list[dict]) -> FormulaSteps:
    """A derivation whose first form is drawn with the visual and each later one at a step of its own.

    Step 0 is the first form: it marks what it asks for (nothing else); step k
    turns form k-1 into form k.
    """
    plans = [_plan(steps[0], None)] + [_plan(s, s["tex"]) for s in steps[1:]]
    return FormulaSteps(size, steps[0]["tex"], plans, steps)
