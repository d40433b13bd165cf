"""Tests for lessonreel.markdown.parse_markdown (Markdown lesson -> topic dict)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
import yaml

# Make the package importable when pytest runs from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lessonreel.errors import InputError  # noqa: E402
from lessonreel.markdown import parse_markdown  # noqa: E402


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def parse(text: str) -> dict:
    return parse_markdown(md(text), "lesson.md")


def section(text: str, index: int = 0) -> dict:
    return parse(text)["sections"][index]


# --- front matter and title -------------------------------------------------------


def test_front_matter_and_title():
    topic = parse(
        """
        ---
        audience: first-year students
        language: en
        title: Overridden
        ---
        # Derivatives
        ## Idea
        - change
        """
    )
    assert topic["title"] == "Derivatives"
    assert topic["audience"] == "first-year students"
    assert topic["language"] == "en"


def test_front_matter_title_used_without_heading():
    topic = parse(
        """
        ---
        title: From front matter
        ---
        ## Idea
        - change
        """
    )
    assert topic["title"] == "From front matter"


def test_missing_title_leaves_key_out():
    topic = parse(
        """
        ## Only a section
        - a line
        """
    )
    assert "title" not in topic
    assert topic["sections"][0]["title"] == "Only a section"


def test_title_is_first_level_one_heading_and_emphasis_stripped():
    topic = parse(
        """
        # The **chain** rule
        # Not the title
        ## S
        - x
        """
    )
    assert topic["title"] == "The chain rule"


@pytest.mark.parametrize(
    "front",
    [
        "audience: [unclosed\n",  # YAML syntax error
        "key: value\n  bad: indent\n",  # YAML syntax error
        "- just\n- a list\n",  # not a mapping
        "plain text\n",  # a scalar, not a mapping
    ],
)
def test_bad_front_matter_raises_input_error_naming_path(front):
    text = "---\n" + front + "---\n# T\n## S\n- x\n"
    with pytest.raises(InputError) as info:
        parse_markdown(text, "topics/bad-lesson.md")
    assert "topics/bad-lesson.md" in str(info.value)
    assert info.value.field == "front matter"
    assert info.value.expected.startswith("a YAML mapping")


def test_unclosed_front_matter_raises():
    with pytest.raises(InputError, match="lesson.md"):
        parse_markdown("---\naudience: x\n# T\n", "lesson.md")


def test_empty_front_matter_is_allowed():
    assert parse_markdown("---\n---\n# T\n", "lesson.md") == {"title": "T"}


# --- sections, bullets, narration ---------------------------------------------------


def test_several_sections_in_order_and_content_before_first_is_ignored():
    topic = parse(
        """
        # T
        Intro text that is ignored.
        - ignored bullet

        ## First
        - a
        ## Second
        - b
        - c
        ## Third
        """
    )
    assert [s["title"] for s in topic["sections"]] == ["First", "Second", "Third"]
    assert topic["sections"][0] == {"title": "First", "lines": ["a"]}
    assert topic["sections"][1] == {"title": "Second", "lines": ["b", "c"]}
    # A section without bullets still appears (the schema reports it).
    assert topic["sections"][2] == {"title": "Third", "lines": []}


def test_no_sections_leaves_key_out():
    assert parse("# Just a title\n") == {"title": "Just a title"}


def test_bullets_strip_emphasis_keep_math_and_join_continuations():
    s = section(
        """
        ## S
        - A **derivative** measures *change*
        * Written as `f'(x)` or _Leibniz_ style
        - The slope of $f(x) = x^2$ at $x_0$
          is $2 x_0$, a long
          continued line
        - Keep snake_case and 2 * 3
        """
    )
    assert s["lines"] == [
        "A derivative measures change",
        "Written as f'(x) or Leibniz style",
        "The slope of f(x) = x^2 at x_0 is 2 x_0, a long continued line",
        "Keep snake_case and 2 * 3",
    ]


def test_narration_paragraphs_are_joined():
    s = section(
        """
        ## S
        First paragraph
        over two lines.

        - a bullet

        Second   paragraph.
        ### A subheading is ignored
        Third.
        """
    )
    assert s["lines"] == ["a bullet"]
    assert s["narration"] == "First paragraph over two lines. Second   paragraph. Third."


def test_no_narration_or_visuals_keys_when_empty():
    s = section("## S\n- a\n")
    assert "narration" not in s
    assert "visuals" not in s


def test_windows_line_endings():
    text = "---\r\naudience: kids\r\n---\r\n# T\r\n## S\r\n- a\r\n  b\r\nSay it.\r\n$$\r\nx^2\r\n$$\r\n"
    topic = parse_markdown(text, "lesson.md")
    assert topic == {
        "title": "T",
        "audience": "kids",
        "sections": [
            {
                "title": "S",
                "lines": ["a b"],
                "visuals": [{"kind": "equation", "tex": "x^2", "line": 1}],
                "narration": "Say it.",
            }
        ],
    }


# --- visuals -------------------------------------------------------------------------


def test_display_math_one_line_and_multi_line():
    s = section(
        r"""
        ## S
        - a
        $$ E = mc^2 $$
        $$
        \int_0^1 x\,dx
          = \frac{1}{2}
        $$
        """
    )
    assert s["visuals"] == [
        {"kind": "equation", "tex": "E = mc^2", "line": 1},
        {"kind": "equation", "tex": "\\int_0^1 x\\,dx\n= \\frac{1}{2}", "line": 1},
    ]


def test_code_fence_with_and_without_language():
    s = section(
        """
        ## S
        - a
        ```python
        def f(x):
            return x ** 2
        ```
        ```
        ## not a heading
        - not a bullet
        ```
        """
    )
    assert s["lines"] == ["a"]
    assert s["visuals"] == [
        {"kind": "code", "language": "python", "source": "def f(x):\n    return x ** 2", "line": 1},
        {"kind": "code", "language": "text", "source": "## not a heading\n- not a bullet", "line": 1},
    ]
    assert "narration" not in s


def test_visual_fence_is_yaml_and_keeps_its_own_line():
    s = section(
        """
        ## S
        - a
        - b
        ```visual
        kind: plot
        function: x**2
        x_range: [-2, 2]
        ```
        ```visual
        kind: shape
        shape: circle
        line: 1
        ```
        """
    )
    assert s["visuals"] == [
        {"kind": "plot", "function": "x**2", "x_range": [-2, 2], "line": 2},
        {"kind": "shape", "shape": "circle", "line": 1},
    ]


@pytest.mark.parametrize("body", ["kind: [plot\n", "- not a mapping\n", "function: x\n"])
def test_bad_visual_fence_raises(body):
    text = "# T\n## A\n- a\n## B\n- b\n```visual\n" + body + "```\n"
    with pytest.raises(InputError) as info:
        parse_markdown(text, "lesson.md")
    assert info.value.path == "lesson.md"
    assert info.value.field == "sections[1] visual block"
    assert info.value.expected == "a YAML mapping with a kind"


def test_unclosed_fence_raises():
    with pytest.raises(InputError, match="lesson.md"):
        parse_markdown("# T\n## S\n- a\n```python\nx = 1\n", "lesson.md")


def test_pipe_table_with_numbers():
    s = section(
        """
        ## S
        - a
        | Name | Count | Share |
        |:-----|------:|:-----:|
        | apples | 3 | 0.25 |
        | pears  | -12 | 1.5 |

        x | y | z
        --|---|--
        one | 2 | three
        """
    )
    assert s["visuals"] == [
        {
            "kind": "table",
            "header": ["Name", "Count", "Share"],
            "rows": [["apples", 3, 0.25], ["pears", -12, 1.5]],
            "line": 1,
        },
        {"kind": "table", "header": ["x", "y", "z"], "rows": [["one", 2, "three"]], "line": 1},
    ]


def test_images_with_and_without_alt():
    s = section(
        """
        ## S
        - a
        ![A unit circle](images/circle.png)
        ![](images/plain.png)
        """
    )
    assert s["visuals"] == [
        {"kind": "image", "path": "images/circle.png", "caption": "A unit circle", "line": 1},
        {"kind": "image", "path": "images/plain.png", "line": 1},
    ]


def test_visual_line_attachment():
    s = section(
        """
        ## S
        $$ a $$
        - first
        $$ b $$
        - second
        $$ c $$
        Some narration in between.
        $$ d $$
        - third
        """
    )
    assert [(v["tex"], v["line"]) for v in s["visuals"]] == [("a", 1), ("b", 1), ("c", 2), ("d", 2)]


def test_line_attachment_restarts_in_each_section():
    topic = parse(
        """
        ## A
        - one
        - two
        ## B
        $$ x $$
        """
    )
    assert topic["sections"][1]["visuals"] == [{"kind": "equation", "tex": "x", "line": 1}]


# --- equivalence with a YAML topic ------------------------------------------------------

LESSON_MD = r"""
---
audience: high-school students
language: en
---
# Derivatives

Everything before the first section is ignored.

## What is a derivative?
The derivative tells us how fast a function changes.

- A derivative measures **rate of change**
- For $f(x) = x^2$ the slope at $x$ is $2x$

$$ f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h} $$

```visual
kind: plot
function: x**2
x_range: [-2, 2]
```

## Worked example
- Compute the slope
  step by step
```python
def slope(f, x, h=1e-6):
    return (f(x + h) - f(x)) / h
```

| x | f(x) |
|---|------|
| 1 | 1 |
| 1.5 | 2.25 |

![Tangent line](images/tangent.png)

We check the numbers in a table.
"""

LESSON_YAML = r"""
title: Derivatives
audience: high-school students
language: en
sections:
  - title: What is a derivative?
    lines:
      - A derivative measures rate of change
      - For f(x) = x^2 the slope at x is 2x
    visuals:
      - kind: equation
        tex: f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}
        line: 2
      - kind: plot
        function: x**2
        x_range: [-2, 2]
        line: 2
    narration: The derivative tells us how fast a function changes.
  - title: Worked example
    lines:
      - Compute the slope step by step
    visuals:
      - kind: code
        language: python
        source: |-
          def slope(f, x, h=1e-6):
              return (f(x + h) - f(x)) / h
        line: 1
      - kind: table
        header: [x, f(x)]
        rows: [[1, 1], [1.5, 2.25]]
        line: 1
      - kind: image
        path: images/tangent.png
        caption: Tangent line
        line: 1
    narration: We check the numbers in a table.
"""


def test_markdown_lesson_equals_equivalent_yaml_topic():
    assert parse_markdown(LESSON_MD.lstrip("\n"), "topics/derivatives.md") == yaml.safe_load(LESSON_YAML)


def test_equivalent_lesson_passes_the_topic_schema():
    from lessonreel.schemas import validate

    topic = parse_markdown(LESSON_MD.lstrip("\n"), "topics/derivatives.md")
    assert validate(topic, "topic", "topics/derivatives.md") is topic
