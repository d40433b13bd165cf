"""Scene repair (ScopeRefine): find where a generated scene fails and fix it as cheaply as possible.

The model-free part lives here:

* :mod:`lessonreel.dryrun` runs a scene's whole ``construct`` without
  rendering frames or encoding video, in seconds;
* :mod:`.locate` reads the log back to the failing line of the scene file,
  its step block and a failure class;
* :mod:`.fixes` applies deterministic fixes (renamed Manim APIs,
  misspellings, bad keywords, TeX that does not compile, ...) at no token
  cost, and returns None when it is not sure.

The model scopes (line, block, section) build on these.
"""

from .fixes import FixResult, apply_deterministic_fixes
from .locate import FAILURE_CLASSES, ErrorLocation, classify, locate_error

__all__ = ["ErrorLocation", "FAILURE_CLASSES", "FixResult", "apply_deterministic_fixes", "classify",
           "locate_error"]
