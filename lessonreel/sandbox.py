"""The sandbox every scene runs in: a static policy for scene source, and a contained child process.

Scene code will be written by a language model, so it is untrusted. Two
independent layers stand between it and the machine:

* :func:`check_source` / :func:`check_scene` read the source with ``ast``
  and refuse what a lesson scene never needs: imports outside
  :data:`ALLOWED_IMPORTS`, ``eval``/``exec``/``open``/``getattr`` and their
  kin, dunder attributes (``().__class__.__bases__``...), the names of
  system modules, numpy's file functions, Manim's file-reading mobjects and
  TeX that can reach files or the shell. Violations name line and column.
* :func:`run_sandboxed` runs a command under :mod:`lessonreel.guard`:
  resource limits, a private network namespace, Landlock (kernel-enforced
  read/write/execute allow-lists), no capabilities, and an audit hook that
  refuses process starts, sockets and file access outside the allow-lists,
  in a process group that is killed as a whole on timeout.

The static check can be fooled (it reads code, it does not run it); the
runtime layer holds even then.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LessonError
from .texcheck import tex_problem

# ------------------------------------------------------------ the policy ---

#: Modules a scene may import (``import x``, ``from x import y``); submodules of
#: manim and numpy are allowed unless listed in :data:`DENIED_SUBMODULES`.
ALLOWED_IMPORTS = (
    "manim", "lessonreel.kit", "math", "numpy", "random", "itertools", "functools", "colorsys", "fractions",
    "decimal", "statistics", "typing", "dataclasses", "enum", "collections", "string", "re", "__future__",
)
_WITH_SUBMODULES = ("manim", "numpy", "collections")
DENIED_SUBMODULES = (
    "manim.cli", "manim.utils.file_ops", "manim.utils.commands", "manim.utils.tex_file_writing",
    "manim.utils.caching", "manim.plugins", "manim._config", "manim.scene.scene_file_writer", "manim.renderer",
    "manim.utils.ipython_magic", "manim.utils.module_ops", "manim.mobject.svg", "manim.mobject.types.image_mobject",
    "numpy.lib", "numpy.ctypeslib", "numpy.f2py", "numpy.distutils", "numpy.testing", "numpy.core",
    "numpy._core", "numpy.compat",
)

#: Builtins a scene may not name at all.
FORBIDDEN_NAMES = frozenset({
    "eval", "exec", "compile", "open", "__import__", "globals", "locals", "vars", "getattr", "setattr",
    "delattr", "input", "breakpoint", "exit", "quit", "memoryview", "help",
})

#: Names of system modules: refused as names and as attributes (``np.os``...), whatever they hang off.
SYSTEM_MODULES = frozenset({
    "os", "sys", "subprocess", "socket", "shutil", "pathlib", "io", "importlib", "ctypes", "pickle", "builtins",
    "codecs", "posix", "nt", "marshal", "gc", "inspect", "signal", "resource", "mmap", "tempfile", "glob",
    "runpy", "threading", "_thread", "multiprocessing", "asyncio", "urllib", "http", "ssl", "sqlite3",
    "shelve", "dbm", "zipfile", "tarfile", "fcntl", "pty", "platform", "sysconfig", "site", "types",
    # libraries Manim is built on, reachable through its modules: they read and write files natively
    "cairo", "av", "manimpango", "PIL", "moderngl", "json", "logging", "scipy", "requests", "urllib3",
    "click", "cloup", "rich", "networkx", "skia", "IPython",
})

#: Module objects that hang off allowed modules (``enum.bltns`` is builtins, ``random._os``...):
#: refused as attributes (as plain names they are ordinary words).
MODULE_ATTRIBUTES = frozenset({"bltns", "copyreg", "warnings", "contextlib", "operator", "stdlib_re", "keyword"})

#: Attributes refused on any object: numpy's file functions (``np.load``, ``a.tofile``...).
#: As plain names (``load = 3``) they stay allowed.
FORBIDDEN_ATTRIBUTES = frozenset({
    "load", "save", "savez", "savez_compressed", "savetxt", "loadtxt", "genfromtxt", "fromfile", "tofile",
    "memmap", "ctypeslib", "lib", "f2py", "distutils", "testing", "DataSource", "fromregex", "dump", "dumps",
    "recfromtxt", "recfromcsv", "core", "renderer", "utils", "plugins",
    # what os, subprocess, pathlib and ctypes objects offer, however a scene got hold of one
    "system", "popen", "Popen", "spawnl", "spawnv", "spawnve", "execv", "execve", "execl", "execvp", "fork",
    "forkpty", "kill", "killpg", "check_output", "check_call", "getoutput", "getstatusoutput", "environ",
    "getenv", "putenv", "unsetenv", "listdir", "scandir", "unlink", "rmtree", "symlink", "chmod", "chown",
    "read_text", "read_bytes", "write_text", "write_bytes", "expanduser", "import_module", "dlopen", "CDLL",
    "PyDLL", "cdll", "pythonapi", "open", "fdopen",
})

#: Refused both as names and as attributes: strings run as code, attribute access by name,
#: frames, and Manim's file, process and plugin helpers.
DANGEROUS_MEMBERS = frozenset({
    "get_type_hints", "ForwardRef", "_evaluate", "Formatter", "get_field", "vformat", "format_field",
    "attrgetter", "methodcaller", "f_back", "f_globals", "f_locals", "f_builtins", "gi_frame", "gi_code",
    "tb_frame", "tb_next", "cr_frame", "ag_frame", "save_image", "file_writer", "SceneFileWriter",
    "open_file", "open_media_file", "write_to_png", "register_font", "TexTemplateFromFile", "from_file",
    "tex_template_file", "custom_folders", "file_ops", "commands", "tex_file_writing", "caching",
    "scene_file_writer", "module_ops", "ipython_magic", "capture", "ensure_executable",
    "get_full_raster_image_path", "get_full_sound_file_path", "seek_full_path_from_defaults", "add_sound",
    "get_dir_layout", "get_plugins", "list_plugins", "save_text", "save_html", "save_svg", "addHandler",
    "tempconfig", "exec_module", "load_module", "spec_from_file_location", "Path", "PosixPath", "PurePath",
})

#: Modules a scene may star-import from.
STAR_IMPORTS = ("manim", "lessonreel.kit", "math")

#: Manim classes that read files given by path; the kit's ``V.image`` is the way to show a picture.
FILE_MOBJECTS = frozenset({"SVGMobject", "ImageMobject", "ImageMobjectFromCamera"})

#: Calls whose string arguments are compiled by LaTeX.
TEX_CALLS = frozenset({
    "Tex", "MathTex", "SingleStringMathTex", "Title", "BulletedList", "TexTemplate", "MathTable", "Matrix",
    "DecimalMatrix", "IntegerMatrix", "MobjectMatrix", "Variable", "add_to_preamble", "add_to_document",
    "equation", "derivation", "matrix", "plot", "number_line", "bar_chart", "table", "diagram", "shape",
    "Brace", "BraceLabel", "BraceText", "add_coordinates", "get_axis_labels", "get_graph_label",
    "get_x_axis_label", "get_y_axis_label", "LabeledDot", "LabeledLine", "LabeledArrow", "Table", "MathTable",
})

#: Dunder methods a scene's helper classes may define (``def __init__``...).
DEFINABLE_DUNDERS = frozenset({
    "__init__", "__post_init__", "__repr__", "__str__", "__eq__", "__hash__", "__lt__", "__le__", "__gt__",
    "__ge__", "__len__", "__iter__", "__next__", "__getitem__", "__contains__", "__bool__", "__add__",
    "__sub__", "__mul__", "__truediv__", "__neg__",
})

SCENE_BASES = frozenset({"LessonScene", "Scene", "MovingCameraScene", "ThreeDScene", "ZoomedScene"})

_FORMAT_DUNDER = re.compile(r"\{[^{}]*__\w*__[^{}]*\}")
_ALLOWED_TEXT = ", ".join(m for m in ALLOWED_IMPORTS if m != "__future__")


@dataclass(frozen=True)
class Violation:
    """One place where scene source breaks the policy."""

    line: int
    col: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message} [{self.rule}]"


class PolicyError(LessonError):
    """Scene source that breaks the sandbox policy; ``violations`` lists where and why."""

    def __init__(self, violations: list[Violation], filename: str = "scene.py"):
        self.violations = list(violations)
        self.filename = str(filename)
        lines = "\n".join(f"  {v}" for v in self.violations)
        super().__init__(f"{self.filename}: the scene breaks the sandbox policy "
                         f"({len(self.violations)} problem{'s' if len(self.violations) != 1 else ''}):\n{lines}")


def _import_allowed(module: str) -> bool:
    if any(module == d or module.startswith(d + ".") for d in DENIED_SUBMODULES):
        return False
    if module in ALLOWED_IMPORTS:
        return True
    return any(module.startswith(m + ".") for m in _WITH_SUBMODULES)


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


class _Checker(ast.NodeVisitor):
    def __init__(self):
        self.found: list[Violation] = []
        self.class_depth = 0

    def add(self, node: ast.AST, rule: str, message: str) -> None:
        self.found.append(Violation(getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, rule, message))

    # ------------------------------------------------------------ imports ---
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not _import_allowed(alias.name):
                self.add(node, "import", f"import of {alias.name!r} is not allowed: scenes may import "
                                         f"{_ALLOWED_TEXT}")
            else:
                self._check_alias(node, alias)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            self.add(node, "import", f"relative import {'.' * node.level}{module} is not allowed: scenes may "
                                     f"import {_ALLOWED_TEXT}")
            return
        for alias in node.names:
            if module == "lessonreel":
                ok, what = alias.name == "kit", f"lessonreel.{alias.name}"
            elif not _import_allowed(module):
                ok, what = False, module
            elif alias.name == "*":
                ok, what = module in STAR_IMPORTS, module
                if not ok:
                    self.add(node, "import", f"'from {module} import *' is not allowed: import the names you "
                                             f"use (star imports are allowed from {', '.join(STAR_IMPORTS)})")
                    continue
            elif module.split(".")[0] in _WITH_SUBMODULES:
                ok, what = _import_allowed(f"{module}.{alias.name}"), f"{module}.{alias.name}"
            else:
                ok, what = True, module
            if not ok:
                self.add(node, "import", f"import of {what!r} is not allowed: scenes may import {_ALLOWED_TEXT}")
            else:
                self._check_alias(node, alias)

    def _check_alias(self, node: ast.AST, alias: ast.alias) -> None:
        for name in (alias.name.split(".")[-1], alias.asname):
            if name and name != "*":
                self._check_identifier(node, name, imported=True)
                if name in FORBIDDEN_ATTRIBUTES and name not in DANGEROUS_MEMBERS:
                    self.add(node, "attribute", f"importing {name!r} is not allowed: it reads or writes files "
                                                f"or runs strings as code")

    # -------------------------------------------------------------- names ---
    def _check_identifier(self, node: ast.AST, name: str, imported: bool = False) -> None:
        if name in FORBIDDEN_NAMES:
            self.add(node, "name", f"{name!r} is not allowed in a scene: it can run strings as code or reach "
                                   f"files and the interpreter")
        elif name in SYSTEM_MODULES:
            self.add(node, "module", f"{name!r} names a system module, which scenes may not use")
        elif name in FILE_MOBJECTS:
            self.add(node, "file", f"{name} reads files by path: show pictures with V.image(...) from the kit")
        elif name in DANGEROUS_MEMBERS:
            self.add(node, "attribute", f"{name!r} is not allowed: it reads or writes files, runs programs or "
                                        f"runs strings as code")
        elif name.startswith("__") and name.endswith("__") and len(name) > 4 and not imported:
            self.add(node, "dunder", f"{name!r}: dunder names are not allowed in a scene")

    def visit_Name(self, node: ast.Name) -> None:
        self._check_identifier(node, node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        if attr.startswith("__") and attr.endswith("__") and len(attr) > 4:
            if not (attr == "__init__" and self.class_depth and self._is_base_init(node.value)):
                self.add(node, "dunder", f"attribute {attr!r} is not allowed: dunder attributes reach the "
                                         f"interpreter's internals (only super().__init__ is allowed)")
        elif attr.startswith("_"):
            self.add(node, "private", f"private attribute {attr!r} is not allowed: scenes use public names only "
                                      f"(private names lead to internals such as random._os)")
        elif attr in SYSTEM_MODULES or attr in MODULE_ATTRIBUTES:
            self.add(node, "module", f"attribute {attr!r} names a system module, which scenes may not use")
        elif attr in FORBIDDEN_NAMES and attr != "compile":  # re.compile is fine; builtins' compile is not
            self.add(node, "name", f"attribute {attr!r} is not allowed in a scene: it can run strings as code "
                                   f"or reach files and the interpreter")
        elif attr in FORBIDDEN_ATTRIBUTES or attr in DANGEROUS_MEMBERS:
            self.add(node, "attribute", f"attribute {attr!r} is not allowed: it reaches files, processes, the "
                                        f"network or the interpreter")
        elif attr in FILE_MOBJECTS:
            self.add(node, "file", f"{attr} reads files by path: show pictures with V.image(...) from the kit")
        self.generic_visit(node)

    @staticmethod
    def _is_base_init(value: ast.expr) -> bool:
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super":
            return True
        return isinstance(value, ast.Name)  # Base.__init__(self, ...)

    # ------------------------------------------------------ definitions ---
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._check_definition(node, node.name)
        self.class_depth += 1
        self.generic_visit(node)
        self.class_depth -= 1

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._check_definition(node, node.name)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _check_definition(self, node: ast.AST, name: str) -> None:
        if name.startswith("__") and name.endswith("__"):
            if name not in DEFINABLE_DUNDERS or not self.class_depth:
                self.add(node, "dunder", f"defining {name!r} is not allowed in a scene")
        elif name in FORBIDDEN_NAMES or name in SYSTEM_MODULES:
            self.add(node, "name", f"defining {name!r} is not allowed in a scene (it shadows a refused name)")

    def _check_store(self, target: ast.expr) -> None:
        base = target
        while isinstance(base, (ast.Attribute, ast.Subscript)):
            base = base.value
        if target is not base and isinstance(base, ast.Name) and base.id == "config":
            self.add(target, "config", "changing Manim's config is not allowed in a scene (the workflow sets "
                                       "quality, folders and TeX)")
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._check_store(element)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check_store(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check_store(node.target)
        self.generic_visit(node)

    visit_AnnAssign = visit_AugAssign

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._check_store(target)
        self.generic_visit(node)

    def visit_arg(self, node: ast.arg) -> None:
        if node.arg.startswith("__") and node.arg.endswith("__"):
            self.add(node, "dunder", f"argument {node.arg!r}: dunder names are not allowed in a scene")
        self.generic_visit(node)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg and node.arg.startswith("__") and node.arg.endswith("__"):
            self.add(node, "dunder", f"keyword {node.arg!r}: dunder names are not allowed in a scene")
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            self._check_identifier(node, name)

    visit_Nonlocal = visit_Global

    # -------------------------------------------------------------- calls ---
    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        if name == "Code":
            if node.args or any(k.arg in ("code_file", None) for k in node.keywords):
                self.add(node, "file", "Code(...) may not read a file: pass the source as code_string=... "
                                       "(or use V.code from the kit)")
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == "config":
            self.add(node, "config", "changing Manim's config is not allowed in a scene (the workflow sets "
                                     "quality, folders and TeX)")
        if name == "image" and isinstance(node.func, ast.Attribute):
            self._check_image_path(node)
        if name in TEX_CALLS:
            for sub in [*node.args, *(k.value for k in node.keywords)]:
                for const in ast.walk(sub):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        problem = tex_problem(const.value)
                        if problem:
                            self.add(const, "tex", f"TeX refused in {name}(...): {problem}")
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "format_map"):
            target = node.func.value
            if isinstance(target, ast.Constant) and isinstance(target.value, str) \
                    and _FORMAT_DUNDER.search(target.value):
                self.add(node, "dunder", "format fields may not name dunder attributes")
        self.generic_visit(node)

    def _check_image_path(self, node: ast.Call) -> None:
        given = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "path")]
        if not given:
            return
        path = given[0]
        if not (isinstance(path, ast.Constant) and isinstance(path.value, str)):
            self.add(node, "file", "V.image(...) needs the picture's path as a string literal")
            return
        parts = path.value.replace("\\", "/").split("/")
        if path.value.startswith(("/", "~")) or ".." in parts or any(p.startswith(".") for p in parts if p):
            self.add(node, "file", f"V.image({path.value!r}): pictures must be inside the project folder "
                                   f"(a relative path without '..' or hidden folders)")

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _FORMAT_DUNDER.search(node.value):
            self.add(node, "dunder", "a string with a format field naming a dunder attribute is not allowed")


def check_source(source: str, filename: str = "scene.py") -> list[Violation]:
    """Every policy violation in ``source`` (a syntax error is one violation), sorted by position."""
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        return [Violation(exc.lineno or 1, exc.offset or 1, "syntax", f"the scene does not parse: {exc.msg}")]
    except ValueError as exc:  # e.g. NUL bytes
        return [Violation(1, 1, "syntax", f"the scene does not parse: {exc}")]
    checker = _Checker()
    checker.visit(tree)
    return sorted(set(checker.found), key=lambda v: (v.line, v.col, v.rule, v.message))


def _base_name(base: ast.expr) -> str | None:
    if isinstance(base, ast.Name):
        return base.id
    if isinstance(base, ast.Attribute):
        return base.attr
    return None


def check_scene(source: str, filename: str = "scene.py") -> list[Violation]:
    """:func:`check_source`, plus: the module must define a scene class (deriving from LessonScene or Scene)."""
    found = check_source(source, filename)
    if any(v.rule == "syntax" for v in found):
        return found
    tree = ast.parse(source, filename=filename)
    scenes = [node for node in tree.body if isinstance(node, ast.ClassDef)
              and any(_base_name(b) in SCENE_BASES for b in node.bases)]
    if not scenes:
        found.append(Violation(1, 1, "scene", "no scene class: define a class deriving from LessonScene "
                                              "(from lessonreel.kit) or Scene"))
    return found


def enforce(source: str, filename: str = "scene.py") -> None:
    """Raise :class:`PolicyError` when ``source`` is not an acceptable scene."""
    found = check_scene(source, filename)
    if found:
        raise PolicyError(found, filename)


# ----------------------------------------------------------- the runner ---


@dataclass
class SandboxResult:
    returncode: int | None
    output: str
    timed_out: bool
    seconds: float
    command: list[str] = field(default_factory=list)  # what ran, for logs
    killed: str = ""  # why the sandbox killed the run: "timeout", "disk" or ""


#: How much of a run's output is kept: its start and its end (the middle of a flood is dropped).
OUTPUT_HEAD = 64 << 10
OUTPUT_TAIL = 2 << 20


#: Seconds the guard may take to set up and import Manim before the run's own clock starts.
STARTUP_GRACE = 60.0


def guard_command(argv: list[str], *, workdir: Path, cwd: Path | None = None, memory_mb: int = 3072,
                  file_size_mb: int = 512, cpu_seconds: int = 900, allow_read=(),
                  ready_fd: int | None = None) -> list[str]:
    """The command line that runs ``argv`` (arguments for ``python``) under the guard."""
    cmd = [sys.executable, "-m", "lessonreel.guard", "--workdir", str(workdir), "--memory-mb", str(memory_mb),
           "--file-size-mb", str(file_size_mb), "--cpu-seconds", str(cpu_seconds)]
    if cwd is not None:
        cmd += ["--cwd", str(cwd)]
    if ready_fd is not None:
        cmd += ["--ready-fd", str(ready_fd)]
    for path in allow_read:
        cmd += ["--allow-read", str(path)]
    return [*cmd, "--", *argv]


def run_sandboxed(argv: list[str], *, workdir: Path, timeout: float, env: dict, memory_mb: int = 3072,
                  file_size_mb: int = 512, allow_read=(), cwd: Path | None = None,
                  disk_mb: int | None = 4096) -> SandboxResult:
    """Run ``python <argv>`` (e.g. ``["-m", "manim", "render", ...]``) contained by :mod:`lessonreel.guard`.

    ``workdir`` is the only folder the code may write in; ``cwd`` (default:
    ``workdir``) is where it runs, which must be readable: the working folder
    or one of ``allow_read``. ``env`` is used as given (strip secrets before).
    stdout and stderr are merged (a flood keeps only its start and end). The
    whole process group is killed when ``timeout`` seconds pass (counted from
    when the guard is set up and hands over to ``argv``, so the guard's own
    start-up does not eat into the budget; at most STARTUP_GRACE seconds of
    it), when the working folder holds more than ``disk_mb`` MB, and whatever
    of the group outlives the main process is killed too.
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    run_in = Path(cwd).resolve() if cwd is not None else workdir
    ready_r, ready_w = os.pipe()  # the guard writes one byte when it starts the target
    os.set_blocking(ready_r, False)
    cmd = guard_command(argv, workdir=workdir, cwd=run_in, memory_mb=memory_mb, file_size_mb=file_size_mb,
                        cpu_seconds=max(60, int(timeout * 3) + 30), allow_read=allow_read, ready_fd=ready_w)
    started = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, cwd=run_in, env=dict(env), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True, pass_fds=(ready_w,))
    finally:
        os.close(ready_w)
    collector = _Collector(proc.stdout)
    reader = threading.Thread(target=collector.run, name="sandbox-output", daemon=True)
    reader.start()
    killed = ""
    ready_at = None
    try:
        pause = 0.02
        next_disk_check = started + 1.0
        while not _exited(proc.pid):
            now = time.monotonic()
            if ready_at is None:
                try:
                    if os.read(ready_r, 1) is not None:  # a byte, or EOF: the guard is past its set-up
                        ready_at = now
                except BlockingIOError:
                    pass
            deadline = ready_at + timeout if ready_at is not None else started + timeout + STARTUP_GRACE
            if now >= deadline:
                killed = "timeout"
                break
            if disk_mb is not None and now >= next_disk_check:
                next_disk_check = now + 1.0
                if _folder_bytes(workdir) > disk_mb << 20:
                    killed = "disk"
                    break
            time.sleep(min(pause, max(0.0, deadline - now)))
            pause = min(pause * 1.5, 0.25)
    finally:
        # The main process has exited but is not reaped yet, so its process group id cannot be
        # reused: killing the group reaches only what the run started.
        _kill_group(proc.pid)
        proc.wait()
        reader.join(timeout=10)
        os.close(ready_r)
    seconds = time.monotonic() - started
    return SandboxResult(proc.returncode, collector.text(), killed == "timeout", seconds, cmd, killed)


def _exited(pid: int) -> bool:
    """Whether the child has exited, without reaping it."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _folder_bytes(folder: Path) -> int:
    total = 0
    stack = [str(folder)]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            total += entry.stat(follow_symlinks=False).st_blocks * 512
                    except OSError:
                        pass
        except OSError:
            pass
    return total


class _Collector:
    """Reads a pipe to its end, keeping the first OUTPUT_HEAD and the last OUTPUT_TAIL bytes."""

    def __init__(self, stream):
        self.stream = stream
        self.head = bytearray()
        self.tail: deque[bytes] = deque()
        self.tail_size = 0
        self.skipped = 0

    def run(self) -> None:
        fd = self.stream.fileno()
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            room = OUTPUT_HEAD - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            if chunk:
                self.tail.append(chunk)
                self.tail_size += len(chunk)
                while self.tail_size - len(self.tail[0]) >= OUTPUT_TAIL:
                    dropped = self.tail.popleft()
                    self.tail_size -= len(dropped)
                    self.skipped += len(dropped)
        self.stream.close()

    def text(self) -> str:
        middle = f"\n[... {self.skipped} bytes of output skipped ...]\n".encode() if self.skipped else b""
        return (bytes(self.head) + middle + b"".join(self.tail)).decode("utf-8", "replace")


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
