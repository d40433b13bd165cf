"""The scene sandbox: the static policy, and hostile scenes run through the real render path.

Every file in tests/hostile/ is a Manim scene trying one attack. Lines marked
``# ATTACK`` are the ones the static policy must refuse. The same scenes are
then rendered anyway (the static check bypassed, as render_scene does) and
each attack must fail inside the sandbox without leaving a trace outside the
scene's working folder.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import textwrap
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from lessonreel import codegen, planner
from lessonreel.errors import LessonError, RenderError
from lessonreel.guard import landlock_abi
from lessonreel.render import render_scene
from lessonreel.sandbox import (
    ALLOWED_IMPORTS, PolicyError, Violation, check_scene, check_source, enforce, guard_command, run_sandboxed,
)
from lessonreel.topic import load_topic

HOSTILE = Path(__file__).resolve().parent / "hostile"
SCENES = sorted(p.stem for p in HOSTILE.glob("*.py"))
TOPICS = sorted((ROOT / "topics").glob("*.yaml")) + sorted((ROOT / "topics").glob("*.md")) + [DATA / "all_kinds.yaml"]
PACING = {"seconds_per_word": 0.3, "min_step_seconds": 2.5, "max_step_seconds": 12}
SECRET_ENV = "sk-hostile-test-" + uuid.uuid4().hex

#: What each hostile scene must run into (any of the strings, in the render log).
EXPECTED = {
    "env_secrets": None,  # renders: the environment simply holds no secrets
    "proc_environ": ["lessonreel sandbox: reading '/proc/"],
    "read_passwd": ["lessonreel sandbox: reading '/etc/passwd' is not allowed"],
    "read_pathlib": ["lessonreel sandbox: reading"],
    "read_numpy": ["lessonreel sandbox: reading"],
    "write_outside": ["lessonreel sandbox: writing"],
    "spawn_subprocess": ["lessonreel sandbox: starting 'sh' is not allowed"],
    "os_system": ["lessonreel sandbox: os.system is not allowed", "lessonreel sandbox: starting '/bin/sh'",
                  "lessonreel sandbox: starting 'sh'"],
    "socket_connect": ["lessonreel sandbox: socket."],
    "dunder_import": ["lessonreel sandbox: os.system is not allowed"],
    "importlib_import": ["lessonreel sandbox: starting 'touch' is not allowed"],
    "builtins_getattr": ["lessonreel sandbox: reading '/etc/passwd' is not allowed"],
    "subclasses_escape": ["lessonreel sandbox: os.system is not allowed"],
    "eval_exec": ["lessonreel sandbox: os.system is not allowed"],
    "fork_bomb": ["lessonreel sandbox: os.fork is not allowed"],
    "memory_bomb": ["MemoryError"],
    "infinite_loop": ["timed out after"],
    "giant_file": ["File too large"],
    "fork_exec_direct": ["every direct start was refused"],
    "ctypes_libc": ["lessonreel sandbox: ctypes.dlopen is not allowed"],
    "tex_input": ["latex error converting to dvi"],
    "guard_frames": ["lessonreel sandbox: inspecting the sandbox guard is not allowed"],
    "kill_process": ["lessonreel sandbox: signalling other processes is not allowed"],
    "disk_fill": ["its scratch folder grew past 16 MB"],
    "output_flood": ["bytes of output skipped"],
}
TIMEOUTS = {"infinite_loop": 4}
FILE_SIZE_MB = {"giant_file": 8, "disk_fill": 8}
DISK_MB = {"disk_fill": 16}


def scene_class(source: str) -> str:
    import ast

    return next(n.name for n in ast.parse(source).body if isinstance(n, ast.ClassDef))


def substitute(text: str, **values) -> str:
    """Fill a hostile scene's placeholders (@OUTSIDE@, @TARGET@, @MARKER@, @PORT@, @PID@)."""
    for key, value in values.items():
        text = text.replace(f"@{key.upper()}@", str(value))
    return text


def attack_lines(source: str) -> set[int]:
    return {i for i, line in enumerate(source.splitlines(), start=1) if line.rstrip().endswith("# ATTACK")}


# ------------------------------------------------------------ the arena ---


class Arena:
    """A project folder for the hostile scenes, plus things outside it the attacks aim at."""

    def __init__(self, root: Path):
        self.root = root
        self.project = root / "project"
        self.project.mkdir()
        self.outside = root / "outside"
        self.outside.mkdir()
        self.token = "TOP-SECRET-" + uuid.uuid4().hex
        self.secret = self.outside / "secret.txt"
        self.secret.write_text(f"{self.token}\n")
        self.target = self.outside / "planted.txt"
        self.marker = self.outside / "marker"
        self.connections: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        self.sleeper = subprocess.Popen(["sleep", "300"])
        self.results: dict[str, dict] = {}

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(100) or b"<connected>")
                except OSError:
                    self.connections.append(b"<connected>")

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.listener.close()
        self.sleeper.kill()
        self.sleeper.wait()

    def source(self, name: str) -> str:
        return substitute((HOSTILE / f"{name}.py").read_text(), outside=self.secret, target=self.target,
                          marker=self.marker, port=self.port, pid=self.sleeper.pid)

    def run(self, name: str) -> dict:
        folder = self.project / name
        folder.mkdir()
        scene = folder / "scene.py"
        source = self.source(name)
        scene.write_text(source)
        log = folder / "render.log"
        output = folder / "section.mp4"
        error = None
        try:
            render_scene(scene, scene_class(source), output, "preview", project_root=self.project,
                         package_root=ROOT, timeout=TIMEOUTS.get(name, 90), log_file=log, label=name,
                         file_size_mb=FILE_SIZE_MB.get(name, 512), disk_mb=DISK_MB.get(name, 4096))
        except RenderError as exc:
            error = str(exc)
        return {"error": error, "log": log.read_text() if log.exists() else "", "output": output,
                "scratch": folder / "_render"}


@pytest.fixture(scope="module")
def arena(tmp_path_factory):
    """Render every hostile scene once (three at a time), with a secret in the parent's environment."""
    arena = Arena(tmp_path_factory.mktemp("hostile"))
    saved = os.environ.get("OPENAI_API_KEY")
    os.environ["OPENAI_API_KEY"] = SECRET_ENV
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            # the slow ones first
            order = sorted(SCENES, key=lambda n: n not in ("infinite_loop", "tex_input", "env_secrets"))
            for name, result in zip(order, pool.map(arena.run, order)):
                arena.results[name] = result
        yield arena
    finally:
        if saved is None:
            os.environ.pop("OPENAI_API_KEY", None)
        else:
            os.environ["OPENAI_API_KEY"] = saved
        arena.close()


# ------------------------------------------------------- static policy ---


def test_every_hostile_scene_has_an_expectation():
    assert len(SCENES) >= 12
    assert set(SCENES) == set(EXPECTED)


@pytest.mark.parametrize("name", SCENES)
def test_static_policy_refuses_each_attack_on_its_line(name):
    source = substitute((HOSTILE / f"{name}.py").read_text(), outside="/x/secret", target="/x/t", marker="/x/m",
                        port=4242, pid=4242)
    marked = attack_lines(source)
    found = check_scene(source, f"{name}.py")
    flagged = {v.line for v in found}
    assert marked <= flagged, f"not refused on lines {sorted(marked - flagged)}: {found}"
    if not marked:  # memory bomb, infinite loop: only the runtime limits can see these
        assert found == []
    for v in found:
        assert isinstance(v, Violation) and v.message and v.rule and v.col >= 1


@pytest.mark.parametrize("path", TOPICS, ids=lambda p: p.name)
def test_offline_generated_scenes_pass_the_policy(path):
    topic = load_topic(path, ROOT)
    outline = planner.make_outline(topic, path.stem)
    board = planner.make_storyboard(topic, outline, ROOT, PACING)
    for i, section in enumerate(board["sections"]):
        code = codegen.generate_scene(section, board, "storyboard.json", i == 0)
        assert check_scene(code, f"{path.stem}/{section['id']}") == [], code
        enforce(code)


ORDINARY_SCENE = '''
from __future__ import annotations

import itertools
import math
import random
from collections import deque
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

import numpy as np
from manim import *

from lessonreel.kit import LessonScene, V


class Mode(Enum):
    FAST = 1


@dataclass
class Point:
    x: float
    y: float


class Marker(VGroup):
    def __init__(self, label: str, **kwargs):
        super().__init__(**kwargs)
        self.add(Dot(), Text(label))

    def __repr__(self):
        return f"Marker({len(self)})"


class Ordinary(LessonScene):
    lines = ["One", "Two"]

    def construct(self):
        random.seed(1)
        rng = np.random.default_rng(1)
        values = [math.sin(x) for x in np.linspace(0, np.pi, 5)] + list(rng.random(2))
        pairs = list(itertools.combinations(range(3), 2))
        q = deque(pairs)
        eq = MathTex(r"\\frac{a}{b} = " + str(Fraction(1, 3)))
        label = f"{len(q)} pairs, max {max(values):.2f}"
        square = Square().set_color(BLUE)
        square.set_fill(opacity=0.5)
        self.play(Create(square), Write(eq), run_time=0.5)
        self.add(Marker(label), Point(1, 2) and Dot())
        picture = V.image("topics/cell.png", (2, 2))
        fn = lambda t: t ** 2
        self.wait(fn(0.3))
'''


def test_ordinary_scene_code_passes():
    assert check_scene(ORDINARY_SCENE) == []


@pytest.mark.parametrize("line, rule, fragment", [
    ("import os", "import", "import of 'os' is not allowed: scenes may import manim, lessonreel.kit, math"),
    ("from subprocess import run", "import", "'subprocess'"),
    ("from . import secrets", "import", "relative import"),
    ("from numpy import load", "attribute", "'load'"),
    ("import numpy.ctypeslib", "import", "numpy.ctypeslib"),
    ("from manim.utils.file_ops import open_file", "import", "manim.utils.file_ops"),
    ("from random import *", "import", "star imports"),
    ("x = eval('1')", "name", "'eval'"),
    ("f = open", "name", "'open'"),
    ("g = getattr(Dot(), 'x')", "name", "'getattr'"),
    ("c = ().__class__", "dunder", "'__class__'"),
    ("b = __builtins__", "dunder", "'__builtins__'"),
    ("a = np.save('x', [1])", "attribute", "'save'"),
    ("a = np.fromfile('x')", "attribute", "'fromfile'"),
    ("m = np.os", "module", "'os'"),
    ("s = SVGMobject('logo.svg')", "file", "V.image"),
    ("s = ImageMobject('cat.png')", "file", "V.image"),
    ("c = Code('secret.py')", "file", "code_string"),
    ("c = Code(code_file='secret.py')", "file", "code_string"),
    ("i = V.image('/etc/shadow', (1, 1))", "file", "inside the project folder"),
    ("i = V.image('../../.ssh/id_rsa', (1, 1))", "file", "inside the project folder"),
    ("i = V.image(path='/etc/shadow', size=(1, 1))", "file", "inside the project folder"),
    ("config.media_dir = '/'", "config", "config"),
    ("config.update({'media_dir': '/'})", "config", "config"),
    ("t = MathTex(r'\\input{/etc/passwd}')", "tex", "\\input"),
    ("t = '{0.__class__}'.format(1)", "dunder", "format"),
    ("h = typing.get_type_hints(Dot)", "attribute", "get_type_hints"),
    ("f = string.Formatter()", "attribute", "Formatter"),
    ("logger.addHandler(None)", "attribute", "addHandler"),
    ("x = utils.commands.capture(['id'])", "attribute", "capture"),
    ("r = random._os.system('id')", "private", "random._os"),
    ("o = enum.bltns.eval('1')", "module", "'bltns'"),
    ("o = V.Path('/etc/passwd')", "attribute", "'Path'"),
    ("o = camera.camera.cairo.ImageSurface", "module", "'cairo'"),
])
def test_static_policy_refusals_name_line_and_rule(line, rule, fragment):
    source = "from manim import *\nimport numpy as np\n\n" + line + "\n"
    found = check_source(source)
    hits = [v for v in found if v.line == 4 and v.rule == rule]
    assert hits, found
    assert any(fragment in v.message for v in hits), hits


def test_syntax_error_and_missing_scene_are_violations():
    [v] = check_source("from manim import *\n\nclass A(Scene):\n    def construct(self)\n        pass\n")
    assert (v.rule, v.line) == ("syntax", 4)
    found = check_scene("from manim import *\n\nclass Helper(VGroup):\n    pass\n")
    assert [v.rule for v in found] == ["scene"]
    assert "LessonScene" in found[0].message


def test_policy_error_lists_every_violation_with_its_line():
    source = "import os\nfrom manim import *\n\nclass A(Scene):\n    def construct(self):\n        eval('1')\n"
    with pytest.raises(PolicyError) as info:
        enforce(source, "results/x/scene.py")
    err = info.value
    assert isinstance(err, LessonError)
    assert [v.line for v in err.violations] == [1, 6]
    text = str(err)
    assert text.startswith("results/x/scene.py: the scene breaks the sandbox policy (2 problems)")
    assert "line 1: import of 'os' is not allowed" in text and "line 6: 'eval' is not allowed" in text
    assert "manim" in ALLOWED_IMPORTS and "lessonreel.kit" in ALLOWED_IMPORTS


# ------------------------------------------------------------- runtime ---


@pytest.mark.render
@pytest.mark.parametrize("name", SCENES)
def test_hostile_scene_is_contained_at_runtime(arena, name):
    result = arena.results[name]
    log = result["log"]
    # no attack got through, and nothing escaped into the log
    # (the log may quote the scene's source in tracebacks; what matters is what the scene printed)
    assert not re.search(r"^ATTACK-SUCCEEDED", log, re.M)
    assert SECRET_ENV not in log and arena.token not in log
    assert "root:x:0:0" not in log  # /etc/passwd
    assert not arena.marker.exists(), "a process ran"
    assert not arena.target.exists(), "a file was written outside the working folder"
    assert arena.connections == [], "something reached the listener"
    assert arena.sleeper.poll() is None, "a process outside the sandbox was killed"
    expected = EXPECTED[name]
    if expected is None:
        assert result["error"] is None, result["error"]
        assert "ENV HOME=" in log  # the scene did run and print the environment
        return
    assert result["error"] is not None, f"{name} rendered:\n{log[-3000:]}"
    assert not result["output"].exists()
    assert any(e in log or e in result["error"] for e in expected), log[-4000:]
    if name == "disk_fill":  # polled once a second: it may overshoot by a second's worth of writing
        assert sum(f.stat().st_size for f in result["scratch"].rglob("*") if f.is_file()) < 200 << 20
    if name == "output_flood":  # the log keeps the start and the end only
        assert len(log) < 3 << 20 and "flooded" in log
    if name == "giant_file":
        giant = result["scratch"] / "tmp" / "giant.bin"
        assert giant.stat().st_size <= 8 << 20
    if name == "tex_input":  # LaTeX did not read the secret into any file it wrote
        for path in result["scratch"].rglob("*"):
            if path.is_file():
                assert arena.token.encode() not in path.read_bytes(), path


@pytest.mark.render
def test_an_ordinary_scene_renders_in_the_sandbox(tmp_path):
    """No false alarms at runtime: TeX (latex + dvisvgm), text, numpy and a project image all work."""
    project = tmp_path / "project"
    (project / "topics").mkdir(parents=True)
    (project / "topics" / "cell.png").write_bytes((DATA / "cell.png").read_bytes())
    scene = project / "scene.py"
    scene.write_text(ORDINARY_SCENE)
    assert check_scene(ORDINARY_SCENE) == []
    out = project / "out" / "section.mp4"
    render_scene(scene, "Ordinary", out, "preview", project_root=project, package_root=ROOT, timeout=120)
    assert out.stat().st_size > 0
    assert not (project / "out" / "_render").exists()


# ------------------------------------------------- the layers one by one ---

PROBE = textwrap.dedent('''
    import json, os, socket, subprocess, sys
    out = {}
    def attempt(name, fn):
        try:
            fn()
            out[name] = "allowed"
        except BaseException as exc:
            out[name] = type(exc).__name__
    outside, port, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    attempt("read_inside", lambda: open("inside.txt").read())
    attempt("write_inside", lambda: open("new.txt", "w").write("ok"))
    attempt("read_outside", lambda: open(outside).read())
    attempt("read_passwd", lambda: open("/etc/passwd").read())
    attempt("write_outside", lambda: open(outside + ".planted", "w").write("x"))
    attempt("exec_shell", lambda: subprocess.run(["/bin/sh", "-c", "touch " + outside + ".marker"], check=True))
    attempt("connect", lambda: socket.create_connection(("127.0.0.1", port), timeout=2).close())
    attempt("kill", lambda: os.kill(pid, 0))
    def symlink_out():
        os.symlink(outside, "link")
        open("link").read()
    attempt("symlink_out", symlink_out)
    def hardlink_out():
        os.link(outside, "hard")
        open("hard", "a").write("x")
    attempt("hardlink_out", hardlink_out)
    def dirfd_escape():
        fd = os.open("/usr/lib", os.O_RDONLY)
        os.read(os.open("../.." + outside, os.O_RDONLY, dir_fd=fd), 100)
    attempt("dirfd_escape", dirfd_escape)
    def dirfd_write():
        fd = os.open(os.path.dirname(outside), os.O_RDONLY)
        os.write(os.open("planted-by-fd", os.O_WRONLY | os.O_CREAT, dir_fd=fd), b"x")
    attempt("dirfd_write", dirfd_write)
    print("PROBE" + json.dumps(out))
''')
ATTACKS = ("read_outside", "read_passwd", "write_outside", "exec_shell", "connect", "kill", "symlink_out",
           "hardlink_out", "dirfd_escape", "dirfd_write")


def _probe(tmp_path, arena_parts, *flags):
    work = tmp_path / "work"
    work.mkdir()
    (work / "inside.txt").write_text("fine")
    (work / "probe.py").write_text(PROBE)
    secret, port, pid = arena_parts
    cmd = guard_command(["probe.py", str(secret), str(port), str(pid)], workdir=work)
    cmd = cmd[:3] + ["--preload", "json,socket,subprocess", *flags] + cmd[3:]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "HOME": str(work)}
    proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=60)
    line = next((l for l in proc.stdout.splitlines() if l.startswith("PROBE")), None)
    assert line, proc.stdout + proc.stderr
    return json.loads(line[5:])


@pytest.fixture
def targets(tmp_path):
    secret = tmp_path / "outside-secret.txt"
    secret.write_text("TOP-SECRET")
    server = socket.create_server(("127.0.0.1", 0))
    sleeper = subprocess.Popen(["sleep", "60"])
    yield secret, server.getsockname()[1], sleeper.pid
    server.close()
    sleeper.kill()
    sleeper.wait()


def test_audit_hook_alone_refuses_the_attacks(tmp_path, targets):
    seen = _probe(tmp_path, targets, "--no-kernel")
    assert seen["read_inside"] == seen["write_inside"] == "allowed"
    for attack in ATTACKS:
        assert seen[attack] == "PermissionError", (attack, seen)
    assert not Path(str(targets[0]) + ".planted").exists() and not Path(str(targets[0]) + ".marker").exists()
    assert not (targets[0].parent / "planted-by-fd").exists() and targets[0].read_text() == "TOP-SECRET"


@pytest.mark.skipif(landlock_abi() < 4, reason="needs Linux Landlock (ABI 4+) for the kernel layer")
def test_kernel_layers_alone_refuse_the_attacks(tmp_path, targets):
    """Without the audit hook (as if scene code had switched it off), the kernel still says no."""
    seen = _probe(tmp_path, targets, "--no-audit-hook")
    assert seen["read_inside"] == seen["write_inside"] == "allowed"
    for attack in ATTACKS:
        assert seen[attack] != "allowed", (attack, seen)
    assert not Path(str(targets[0]) + ".planted").exists() and not Path(str(targets[0]) + ".marker").exists()
    assert not (targets[0].parent / "planted-by-fd").exists() and targets[0].read_text() == "TOP-SECRET"


def test_run_sandboxed_reports_layers_and_times_out(tmp_path):
    work = tmp_path / "w"
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": str(work)}
    described = run_sandboxed(["-c", "pass"], workdir=work, timeout=60, env=env)
    cmd = guard_command(["-c", "pass"], workdir=work)
    proc = subprocess.run([*cmd[:3], "--describe", "--preload", "", *cmd[3:]], env=env, capture_output=True,
                          text=True, timeout=60)
    layers = json.loads(proc.stdout)
    assert layers["audit_hook"] is True and layers["limits"]["RLIMIT_CORE"] == 0
    assert layers["limits"]["RLIMIT_AS"] == 3072 << 20 and layers["limits"]["RLIMIT_FSIZE"] == 512 << 20
    assert set(layers["programs"]) <= {"latex", "dvisvgm"}
    assert described.returncode == 0
    (work / "loop.py").write_text("while True:\n    pass\n")
    slow = run_sandboxed(["loop.py"], workdir=work, timeout=2, env=env)
    assert slow.timed_out and slow.seconds < 10
