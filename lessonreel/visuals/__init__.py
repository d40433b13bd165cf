"""Builders for the visuals of the offline engine, one module per family.

Each builder returns a Manim mobject drawn for a given size (``size`` is the
(width, height) of the grid area it will live in), so text keeps a legible
font size instead of being shrunk afterwards. Groups carry named parts
(``plot.axes``, ``plot.graph``...) so generated scenes can animate them one by
one, the way Manim's own examples do.

Generated scenes use them as ``V.<kind>(...)`` (``from lessonreel.kit import V``).
"""

from .text import (  # noqa: F401
    NO_LINE_END, NO_LINE_START, _atoms, _line_metrics, bullets, paragraph, text, wrap_text,
)
from .formulas import equation, derivation, matrix  # noqa: F401
from .charts import plot, number_line, bar_chart, auto_y_range  # noqa: F401
from .graphs import diagram  # noqa: F401
from .tables import table, code  # noqa: F401
from .shapes import shape, image  # noqa: F401
from .arrays import array  # noqa: F401
from .traversal import traversal  # noqa: F401
from .containers import stack  # noqa: F401
from .geometry import geometry  # noqa: F401
from .vectors import vectors  # noqa: F401
from .process import process  # noqa: F401
from .plotsteps import plot_steps  # noqa: F401
from .linesteps import number_line_steps  # noqa: F401
from .codetrace import traced_code  # noqa: F401
from .formulasteps import equation_steps, derivation_steps  # noqa: F401
