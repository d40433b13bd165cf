"""benchmarks/repair_bench.py --model against a scripted server: scopes and token counts are attributed right."""

from __future__ import annotations

import importlib.util
import json
import re
import threading
from pathlib import Path

import pytest
import yaml

from fake_openai import ScriptedServer, contains, prompt_text

pytestmark = pytest.mark.render

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("repair_bench", ROOT / "benchmarks" / "repair_bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

GOOD = ('arrow = Arrow(ORIGIN, RIGHT * 2, buff=0)\n'
        'self.place_in(arrow, "B2", "E5")\n'
        'self.play(Create(arrow), run_time=0.3)')


def shown_code(request: dict) -> str:
    """The code a repair prompt asks to replace."""
    code = prompt_text(request).split("scope):\n", 1)[1]
    return code.split("\n\nFor reference", 1)[0].rstrip("\n")


class Usage:
    """Replies with a distinct usage per call, and remembers what it reported, by scope."""

    def __init__(self):
        self.reported: dict[str, list[int]] = {}
        self.lock = threading.Lock()
        self.n = 0

    def reply(self, scope: str, content: str) -> dict:
        with self.lock:
            self.n += 1
            prompt, completion = 100 * self.n + 7, 10 * self.n + 3
            p, c = self.reported.get(scope, [0, 0])
            self.reported[scope] = [p + prompt, c + completion]
        return {"content": content, "usage": {"prompt_tokens": prompt, "completion_tokens": completion}}


def fix(usage: Usage, scope: str, old: str, new: str):
    return lambda request: usage.reply(scope, json.dumps({"code": re.sub(old, new, shown_code(request))}))


def tables(report: str) -> dict[str, list[list[str]]]:
    """The report's tables, by their first header cell: rows of stripped cells (header and separator dropped)."""
    out: dict[str, list[list[str]]] = {}
    current = None
    for line in report.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current is None:
            current = out.setdefault(cells[0], [cells])
        elif not set(line) <= set("|-: "):
            current.append(cells)
    return out


def as_dicts(table: list[list[str]]) -> dict[str, dict[str, str]]:
    header, *rows = table
    return {row[0]: dict(zip(header, row)) for row in rows}


def test_model_mode_attributes_scopes_and_tokens(tmp_path, capsys):
    usage = Usage()
    rules = [
        # argtype_next_to_string: the line scope fixes it.
        (contains("(line scope)", 'next_to(ring, "down")'), fix(usage, "line", r'"down"', "DOWN")),
        # hallucinated_method: the line scope renames to another invented method, the block scope fixes it.
        (contains("(line scope)", "morph_into"), fix(usage, "line", r"morph_into", "morph_onto")),
        (contains("(block scope)", "morph_onto"), fix(usage, "block", r"ring\.morph_onto\(tile\)",
                                                      "Transform(ring, tile)")),
        # hallucinated_class: line and block scopes keep failing, the section is written again.
        (contains("(line scope)", "CurlyBrace"), fix(usage, "line", r"CurlyBrace\b", "CurlyBraces")),
        (contains("(block scope)", "CurlyBraces"), fix(usage, "block", r"CurlyBraces\b", "CurlyBracket")),
        (contains("An earlier version of these blocks failed"),
         lambda request: usage.reply("section", json.dumps({"blocks": {"1": GOOD}}))),
    ]
    with ScriptedServer(rules=rules) as server:
        config = tmp_path / "config.yaml"
        config.write_text(yaml.safe_dump({
            "llm": {"base_url": server.base_url, "api_key_env": "LESSONREEL_TEST_UNSET_KEY", "max_retries": 0,
                    "roles": {r: {"model": "fake-model"} for r in ("planner", "coder", "repair")}},
            "repair": {"timeout": 60, "budgets": {"deterministic": 1, "line": 1, "block": 1, "section": 1}},
        }))
        code = bench.main(["--model", "--config", str(config), "--jobs", "2",
                           "--only", "^(argtype_next_to_string|hallucinated_method|hallucinated_class)$"])
        calls = server.count
    report = capsys.readouterr().out
    print(report)
    assert code == 0
    found = tables(report)

    scenes = as_dicts(found["scene"])
    assert scenes["argtype_next_to_string"]["fixed by"] == "line"
    assert scenes["hallucinated_method"]["fixed by"] == "block"
    assert scenes["hallucinated_method"]["attempts"] == "line > block"
    assert scenes["hallucinated_class"]["fixed by"] == "section"
    assert scenes["hallucinated_class"]["attempts"] == "line > block > section"
    # Scoped fixes are compared with a section prompt; a section-fixed scene is not.
    for name in ("argtype_next_to_string", "hallucinated_method"):
        assert int(scenes[name]["section prompt est."]) > int(scenes[name]["line+block sent est."]) > 0
        assert scenes[name]["ratio est."] != "-"
    assert scenes["hallucinated_class"]["ratio est."] == "-"

    classes = as_dicts(found["failure class"])
    assert classes["bad_argument"]["fixed: line"] == "1"
    assert classes["attribute"]["fixed: block"] == "1"
    assert classes["undefined_name"]["fixed: section"] == "1"
    assert classes["total"]["scenes"] == "3" and classes["total"]["not fixed"] == "0"
    assert [classes["total"][f"fixed: {s}"] for s in ("det.", "line", "block", "section")] == ["0", "1", "1", "1"]

    # Every token the server reported is in the tables, under the scope that spent it (the cache was fresh).
    per_scope = as_dicts(found["scope"])
    for scope in ("line", "block", "section"):
        assert [int(per_scope[scope]["prompt tokens"]), int(per_scope[scope]["completion tokens"])] == \
            usage.reported[scope], scope
    assert per_scope["line"]["attempts"] == "3" and per_scope["block"]["attempts"] == "2"
    assert per_scope["section"]["attempts"] == "1" and per_scope["total"]["cache hits"] == "0"
    total_prompt = sum(p for p, _ in usage.reported.values())
    total_completion = sum(c for _, c in usage.reported.values())
    assert int(classes["total"]["prompt tokens"]) == total_prompt
    assert int(classes["total"]["completion tokens"]) == total_completion
    assert calls == 6
    assert int(scenes["argtype_next_to_string"]["line+block sent"]) + \
        int(scenes["hallucinated_method"]["line+block sent"]) + \
        int(scenes["hallucinated_class"]["line+block sent"]) == usage.reported["line"][0] + usage.reported["block"][0]


def test_corpus_spec_regenerates_every_corpus_scene():
    """Every corpus scene gets a spec the engine can write a section prompt for (rendered, not sent)."""
    for path in sorted(bench.CORPUS.glob("*.py")):
        spec = bench.corpus_spec(path, path.read_text(encoding="utf-8"))
        assert spec["section"]["id"] == "01" and spec["section"]["lines"]
        assert all(1 <= s["line"] <= len(spec["section"]["lines"]) for s in spec["section"]["steps"])
        animated = any(s["visual"] for s in spec["section"]["steps"])
        # A section without free-text animations is compiled again without a model: no prompt.
        assert (bench.section_prompt_estimate(spec, path.name, "NameError: x") > 0) == animated, path.name
