"""Run untrusted scene code (normally ``-m manim render ...``) contained.

Used as the child process of :func:`lessonreel.sandbox.run_sandboxed`::

    python -m lessonreel.guard --workdir DIR [--cwd DIR] [--allow-read DIR ...] -- -m manim render ARGS

(``--describe`` prints the layers that are active on this machine as JSON.)
Layers, in the order they are applied; each one stands on its own:

1. Resource limits (``setrlimit``, soft = hard): address space (3 GiB),
   file size (512 MiB), open files, CPU seconds, no core dumps. They hold for
   Manim's LaTeX children too. One BLAS thread and four malloc arenas keep
   the address space of a render well under the limit.
2. A safe environment for TeX: ``openin_any=p``/``openout_any=p`` (TeX may
   read and write only below the working folder, besides its own
   installation; no dot files), ``shell_escape=f`` (no ``\\write18``),
   ``TMPDIR`` inside the working folder.
3. Kernel containment (Linux, best effort): a private network namespace (no
   network at all), Landlock (reads only from an allow-list, writes only in
   the working folder, executes only ``latex`` and ``dvisvgm``, no TCP, no
   signals or abstract sockets out of the sandbox) and no capabilities.
   These bind native code and child processes too, and cannot be undone
   from inside. Applied while the process is still single-threaded.
4. After Manim is imported (so its own start-up runs unhindered), a
   ``sys.addaudithook`` hook that refuses, with a PermissionError that says
   why: starting any program but ``latex``/``dvisvgm`` (with Manim's own
   arguments, files in the working folder, unchanged environment), any
   socket, reading outside the allow-list (and dot files in the project
   folder), writing, linking or creating folders outside the working folder,
   ctypes, tracing, frame and garbage-collector introspection of the guard,
   changing the environment or resource limits, signalling other processes.
   ``--log-refusals`` also prints each refusal to stderr (library code
   sometimes swallows the PermissionError).

Only then the target runs (``runpy``), and its exit code becomes ours.

The audit hook is a policy inside the interpreter the untrusted code runs in:
it gives clear errors for the ordinary attacks, but code that gets memory
access (a crafted code object, a bug in CPython or a C extension) could
switch it off, and C libraries (cairo, PyAV, fontconfig, LaTeX) open files
without it seeing. The kernel layers (3) are what binds those.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import runpy
import shutil
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

#: Programs a scene may start: Manim compiles Tex/MathTex with latex and turns
#: the DVI into SVG with dvisvgm. Video goes through PyAV, inside the process.
ALLOWED_PROGRAMS = ("latex", "dvisvgm")

#: Extra read-only roots for Python-level reads (fonts, TeX, shared data).
SYSTEM_READ = ("/usr/share", "/usr/local/share", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/etc/fonts",
               "/var/cache/fontconfig", "/sys/devices/system/cpu", "/proc/cpuinfo", "/dev/null", "/dev/zero",
               "/dev/urandom", "/dev/random")
#: Read-only roots that native code (shared libraries, LaTeX, fontconfig) needs besides those.
NATIVE_READ = ("/usr", "/lib", "/lib64", "/etc/ld.so.cache", "/etc/texmf", "/var/lib/texmf",
               "/var/cache/fonts", "/etc/localtime")

#: Modules that may not be imported (or re-created) once the scene runs.
DENIED_IMPORTS = frozenset({
    "_posixsubprocess", "ctypes", "_ctypes", "cffi", "_cffi_backend", "socket", "_socket", "ssl", "_ssl",
    "multiprocessing", "_multiprocessing", "_posixshmem", "pty", "resource", "_testcapi", "_testinternalcapi",
    "_testbuffer", "_testmultiphase", "_xxsubinterpreters", "_xxinterpchannels", "sqlite3", "_sqlite3", "dbm",
    "_dbm", "_gdbm", "readline", "_tkinter", "tkinter", "_lsprof", "cProfile", "profile", "webbrowser",
    "http", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "nntplib", "xmlrpc", "socketserver",
    "urllib.request", "asyncio.subprocess", "pdb", "bdb",
})

MIB = 1 << 20

# --------------------------------------------------------------- limits ---


def apply_limits(memory_mb: int, file_size_mb: int, cpu_seconds: int, open_files: int) -> dict:
    """Lower (never raise) the hard and soft limits; return what was set."""
    wanted = {
        "RLIMIT_AS": memory_mb * MIB,
        "RLIMIT_FSIZE": file_size_mb * MIB,
        "RLIMIT_NOFILE": open_files,
        "RLIMIT_CORE": 0,
        "RLIMIT_CPU": cpu_seconds,
    }
    done = {}
    for name, value in wanted.items():
        which = getattr(resource, name)
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))  # the soft limit is the hard one: no raising it back
        done[name] = value
    return done


def tame_threads() -> None:
    """Keep the address space small enough for RLIMIT_AS on machines with many cores.

    Every OpenBLAS/OpenMP worker and every glibc malloc arena reserves address
    space (not memory); dozens of them could hit the limit without using it.
    Manim's numpy work is small, so one BLAS thread and four arenas are plenty.
    """
    for key in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(key, "1")
    if sys.platform.startswith("linux"):
        try:
            _ctypes, libc = _libc()
            libc.mallopt(-8, 4)  # M_ARENA_MAX
        except Exception:
            pass


# ----------------------------------------------------- kernel containment ---

_SYS_LANDLOCK_CREATE_RULESET = 444
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000

# Landlock filesystem rights (linux/landlock.h).
FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REMOVE_DIR = 1 << 4
FS_REMOVE_FILE = 1 << 5
FS_MAKE_CHAR = 1 << 6
FS_MAKE_DIR = 1 << 7
FS_MAKE_REG = 1 << 8
FS_MAKE_SOCK = 1 << 9
FS_MAKE_FIFO = 1 << 10
FS_MAKE_BLOCK = 1 << 11
FS_MAKE_SYM = 1 << 12
FS_REFER = 1 << 13  # ABI 2
FS_TRUNCATE = 1 << 14  # ABI 3
NET_BIND_TCP = 1 << 0  # ABI 4
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1


def elf_interpreter(path: str) -> str | None:
    """The dynamic loader (PT_INTERP) of an ELF executable; exec opens it too, so it needs execute rights."""
    import struct

    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
            if head[:4] != b"\x7fELF":
                return None
            is64, little = head[4] == 2, head[5] == 1
            end = "<" if little else ">"
            if is64:
                phoff, = struct.unpack_from(end + "Q", head, 32)
                phentsize, phnum = struct.unpack_from(end + "HH", head, 54)
            else:
                phoff, = struct.unpack_from(end + "I", head, 28)
                phentsize, phnum = struct.unpack_from(end + "HH", head, 42)
            for i in range(phnum):
                fh.seek(phoff + i * phentsize)
                entry = fh.read(phentsize)
                p_type, = struct.unpack_from(end + "I", entry, 0)
                if p_type == 3:  # PT_INTERP
                    offset, size = (struct.unpack_from(end + "QQ", entry, 8)[0], struct.unpack_from(end + "Q", entry, 32)[0]) \
                        if is64 else (struct.unpack_from(end + "I", entry, 4)[0], struct.unpack_from(end + "I", entry, 16)[0])
                    fh.seek(offset)
                    return os.path.realpath(fh.read(size).rstrip(b"\0").decode())
    except (OSError, struct.error, UnicodeDecodeError):
        return None
    return None


def _libc():
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return ctypes, libc


def landlock_abi() -> int:
    """The Landlock ABI version the kernel offers (0 when unavailable)."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        ctypes, libc = _libc()
        abi = libc.syscall(ctypes.c_long(_SYS_LANDLOCK_CREATE_RULESET), None, ctypes.c_size_t(0),
                           ctypes.c_uint32(1))
        return max(int(abi), 0)
    except Exception:
        return 0


def apply_landlock(read: list[str], write: list[str], execute: list[str], devices_rw: list[str]) -> int:
    """Restrict this process (and every process it starts) with Landlock; return the ABI used, 0 if none.

    Must run while the process has a single thread: Landlock binds the calling
    thread and the threads and processes it creates afterwards.
    """
    abi = landlock_abi()
    if abi < 1:
        return 0
    ctypes, libc = _libc()

    class RulesetAttr(ctypes.Structure):
        _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                    ("scoped", ctypes.c_uint64)]

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    fs_all = (1 << 13) - 1
    if abi >= 2:
        fs_all |= FS_REFER
    if abi >= 3:
        fs_all |= FS_TRUNCATE
    read_rights = FS_READ_FILE | FS_READ_DIR
    file_rights = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | (FS_TRUNCATE if abi >= 3 else 0)
    # The working folder: everything except executing and creating devices, fifos and sockets.
    write_rights = fs_all & ~(FS_EXECUTE | FS_MAKE_CHAR | FS_MAKE_BLOCK | FS_MAKE_FIFO | FS_MAKE_SOCK)

    attr = RulesetAttr(fs_all, 0, 0)
    size = 16 if abi < 6 else 24
    if abi >= 4:
        attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP  # no rule grants any port
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
    fd = libc.syscall(ctypes.c_long(_SYS_LANDLOCK_CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size),
                      ctypes.c_uint32(0))
    if fd < 0:
        return 0
    try:
        def add(path: str, rights: int) -> None:
            try:
                pfd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                return  # absent on this system
            try:
                if not os.path.isdir(path):
                    rights &= file_rights
                rule = PathBeneath(rights & fs_all, pfd)
                # A rule that cannot be added only leaves that path closed.
                libc.syscall(ctypes.c_long(_SYS_LANDLOCK_ADD_RULE), ctypes.c_int(fd), ctypes.c_int(1),
                             ctypes.byref(rule), ctypes.c_uint32(0))
            finally:
                os.close(pfd)

        for path in read:
            add(path, read_rights)
        for path in execute:
            add(path, FS_EXECUTE | FS_READ_FILE)
        for path in devices_rw:
            add(path, FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE)
        for path in write:
            add(path, write_rights)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return 0
        if libc.syscall(ctypes.c_long(_SYS_LANDLOCK_RESTRICT_SELF), ctypes.c_int(fd), ctypes.c_uint32(0)) != 0:
            return 0
    finally:
        os.close(fd)
    return abi


def isolate_network() -> str:
    """Move this process into a network namespace of its own (no interfaces up); return how, or ''."""
    if not sys.platform.startswith("linux"):
        return ""
    try:
        ctypes, libc = _libc()
    except Exception:
        return ""
    if libc.unshare(_CLONE_NEWNET) == 0:
        return "netns"
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        try:  # keep our own uid/gid visible inside the new user namespace
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
            Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
        except OSError:
            pass
        return "userns+netns"
    return ""


def drop_capabilities() -> bool:
    """Give up every capability (matters when the workflow runs as root); True on success."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        ctypes, libc = _libc()
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
        for cap in range(64):
            if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                break

        class Header(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

        class Data(ctypes.Structure):
            _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                        ("inheritable", ctypes.c_uint32)]

        header = Header(0x20080522, 0)
        data = (Data * 2)()
        return libc.capset(ctypes.byref(header), data) == 0
    except Exception:
        return False


# ------------------------------------------------------------ audit hook ---


_MARK = "_lessonreel_decider_frame"


def _decider(config: dict):
    """A generator that judges audit events: send (event, args), receive None (allowed) or a reason.

    Everything the judgement needs, including the only reference to the real
    ``_posixsubprocess.fork_exec``, lives in this generator's frame. The hook
    keeps that frame out of reach: reading ``gi_frame``/``gi_code`` of the
    generator is refused, ``gc`` introspection and tracing are refused, frames
    cannot be fetched (``sys._getframe``, ``tb_frame``...) by code running
    inside a check (a signal handler, a finalizer), no exception ever leaves
    the frame, and the hook hands it only plain str/bytes/int values, so no
    scene code runs inside it. The checks use captured C functions only, so a
    scene cannot monkeypatch them away.
    """
    _lessonreel_decider_frame = True  # noqa: F841  (marks this frame for the hook's stack check)
    import posix
    import _posixsubprocess

    type_, str_, bytes_, int_, tuple_, list_, len_ = type, str, bytes, int, tuple, list, len
    BaseException_, OSError_ = BaseException, OSError
    lstat, readlink, getcwd, getpid = posix.lstat, posix.readlink, posix.getcwd, posix.getpid
    WRITE_FLAGS = posix.O_WRONLY | posix.O_RDWR | posix.O_CREAT | posix.O_TRUNC | posix.O_APPEND
    fork_exec = _posixsubprocess.fork_exec

    write_roots = tuple_(config["write"])
    strict_roots = tuple_(config["strict_read"])  # project folders: no dot files in there
    devices = tuple_(config["devices"])
    read_roots = tuple_(config["read"]) + ("/proc/" + str_(getpid()),)
    programs = dict(config["programs"])  # name -> resolved executable
    program_list = ", ".join(programs) or "none"
    denied_imports = frozenset(config["denied_imports"])
    allowed_imports = config["allowed_imports"]
    del config

    def text_of(p):
        t = type_(p)
        if t is str_:
            return p
        if t is bytes_:
            return p.decode("utf-8", "surrogateescape")
        if t is int_:
            return 0
        return None

    def resolve(text):
        """The absolute path with every symlink followed (a missing tail is kept as written)."""
        if "\x00" in text:
            return None
        if not text.startswith("/"):
            text = getcwd() + "/" + text
        todo = [c for c in text.split("/") if c][::-1]
        done = ""
        hops = 0
        while todo:
            part = todo.pop()
            if part == ".":
                continue
            if part == "..":
                done = done.rpartition("/")[0]
                continue
            candidate = done + "/" + part
            try:
                st = lstat(candidate)
            except OSError_:
                done = candidate
                continue
            if (st.st_mode & 0o170000) == 0o120000:
                hops += 1
                if hops > 40:
                    return None
                target = readlink(candidate)
                if target.startswith("/"):
                    done = ""
                todo.extend([c for c in target.split("/") if c][::-1])
            else:
                done = candidate
        return done or "/"

    def under(path, roots):
        """The longest of ``roots`` that ``path`` is in, or None."""
        best = None
        for root in roots:
            if path == root or path.startswith(root + "/") or root == "/":
                if best is None or len_(root) > len_(best):
                    best = root
        return best

    def may_write(path):
        return under(path, write_roots) is not None or under(path, devices) is not None

    def may_read(path):
        if may_write(path):
            return True
        root = under(path, strict_roots)
        if root is not None and not under(path, read_roots):
            rest = path[len_(root):]
            return not any(c.startswith(".") for c in rest.split("/") if c)
        return under(path, read_roots) is not None or root is not None

    def absolute(p, dir_fd=None):
        """The resolved path an event's path argument names: str, 0 (an open fd) or None (refuse)."""
        text = text_of(p)
        if text == 0 or text is None:
            return text
        if not text.startswith("/") and type_(dir_fd) is int_ and dir_fd >= 0:
            try:  # relative to an open folder: that folder's path
                text = readlink("/proc/self/fd/" + str_(dir_fd)) + "/" + text
            except OSError_:
                return None
        return resolve(text)

    def check(p, write, what, dir_fd=None):
        path = absolute(p, dir_fd)
        if path == 0:
            return None  # an open file descriptor: checked when it was opened
        text = text_of(p)
        if path is None:
            return f"{what}: only str, bytes and pathlib paths are accepted inside the sandbox"
        if write:
            if not may_write(path):
                return (f"writing {text!r} is not allowed: a scene may write only inside its working folder "
                        f"{write_roots[0]}")
        elif not may_read(path):
            return (f"reading {text!r} is not allowed: a scene may read only its working folder, the project "
                    f"folder and the Python, font and TeX installations")
        return None

    def check_open(p, mode, flags):
        write = bool(flags & WRITE_FLAGS) if type_(flags) is int_ else True
        if type_(mode) is str_ and ("w" in mode or "a" in mode or "x" in mode or "+" in mode):
            write = True
        verdict = check(p, write, "opening")
        if verdict is not None or text_of(p) == 0:
            return verdict
        text = text_of(p)
        if mode is None and not text.startswith("/") and ".." in text.split("/"):
            # os.open may be relative to a folder descriptor the event does not show
            return f"opening {text!r}: os.open of a relative path with '..' is not allowed"
        path = resolve(text)
        try:
            is_dir = (lstat(path).st_mode & 0o170000) == 0o040000
        except OSError_:
            is_dir = False
        if is_dir and not may_write(path):  # folder descriptors only inside the working folder
            return f"opening the folder {text!r} is not allowed: only folders inside the working folder"
        return None

    def check_spawn(params):
        """fork_exec arguments: an allowed program, Manim's own options, files in the working folder."""
        if len_(params) < 22:
            return "malformed process start"
        args, executables, env = params[0], params[1], params[5]
        if params[21] is not None:
            return "starting a process with a preexec_fn is not allowed"
        if params[15]:
            return "starting a process in a new session is not allowed"
        if env is not None:
            return "starting a process with a changed environment is not allowed"
        if type_(args) is not tuple_ or not args or type_(executables) is not tuple_ or not executables:
            return "malformed process arguments"
        texts = [a.decode("utf-8", "surrogateescape") if type_(a) is bytes_ else a for a in args]
        name = texts[0].rpartition("/")[2]
        if name not in programs:
            return f"starting {name!r} is not allowed: scenes may run only {program_list}"
        for exe in executables:
            exe = exe.decode("utf-8", "surrogateescape") if type_(exe) is bytes_ else exe
            if exe.rpartition("/")[2] != name:
                return f"starting {exe!r} as {name!r} is not allowed"
            real = resolve(exe)
            try:
                lstat(real)
            except OSError_:
                continue  # exec skips candidates that do not exist
            if real != programs[name]:
                return f"starting {exe!r} is not allowed: it is not the system's {name}"
        for arg in texts[1:]:
            if name == "latex":
                if arg in ("-interaction=batchmode", "-halt-on-error", "-output-format=dvi", "-output-format=pdf"):
                    continue
                if arg.startswith("-output-directory="):
                    target = resolve(arg.partition("=")[2])
                elif arg.startswith(("-", "&", "\\")) or not arg.endswith(".tex"):
                    return f"latex option {arg!r} is not allowed"
                else:
                    target = resolve(arg)
            else:
                if arg in ("--pdf", "--no-fonts", "--verbosity=0") or (
                        arg.startswith("--page=") and arg[7:].isdigit()):
                    continue
                if arg.startswith("--output="):
                    target = resolve(arg.partition("=")[2])
                elif arg.startswith("-") or not arg.endswith((".dvi", ".xdv", ".pdf")):
                    return f"dvisvgm option {arg!r} is not allowed"
                else:
                    target = resolve(arg)
            if target is None or not may_write(target):
                return f"{name} may only work on files inside the working folder, not {arg!r}"
        return None

    def judge(event, args):
        if event == "open":
            return check_open(*args)
        if event in ("os.listdir", "os.scandir", "os.getxattr", "os.listxattr"):
            return check("." if args[0] is None else args[0], False, "listing")
        if event in ("os.mkdir", "os.chmod"):
            return check(args[0], True, "changing", args[2])
        if event in ("os.remove", "os.rmdir"):
            return check(args[0], True, "changing", args[1])
        if event in ("os.chown", "os.utime"):
            return check(args[0], True, "changing", args[3])
        if event in ("os.chflags", "os.lchflags", "os.lchmod", "os.lchown", "os.setxattr", "os.removexattr",
                     "os.truncate", "shutil.rmtree", "shutil.copymode", "shutil.copystat", "shutil.chown",
                     "tempfile.mkstemp", "tempfile.mkdtemp"):
            return check(args[0], True, "changing")
        if event == "os.rename":
            return check(args[0], True, "moving", args[2]) or check(args[1], True, "moving to", args[3])
        if event == "shutil.move":
            return check(args[0], True, "moving") or check(args[1], True, "moving to")
        if event == "os.link":  # a hard link to a file is the file: both ends in the working folder
            return check(args[0], True, "linking", args[2]) or check(args[1], True, "linking to", args[3])
        if event == "os.symlink":  # symlinks may point only inside the working folder
            link = absolute(args[1], args[2])
            target = text_of(args[0])
            if type_(link) is not str_ or type_(target) is not str_:
                return "malformed symlink"
            if not target.startswith("/"):
                target = link.rpartition("/")[0] + "/" + target
            target = resolve(target)
            if target is None or not may_write(target) or not may_write(link):
                return f"a symlink from {text_of(args[1])!r} to {text_of(args[0])!r} is not allowed: links may " \
                       f"only point inside the working folder"
            return None
        if event in ("shutil.copyfile", "shutil.copytree"):
            return check(args[0], False, "copying") or check(args[1], True, "copying to")
        if event == "shutil.unpack_archive":
            return check(args[0], False, "unpacking") or check(args[1], True, "unpacking to")
        if event == "shutil.make_archive":
            return check(args[0], True, "archiving to") or check(args[2], False, "archiving")
        if event == "subprocess.Popen":
            exe = text_of(args[0])
            name = exe.rpartition("/")[2] if type_(exe) is str_ else "?"
            if name not in programs:
                return f"starting {name!r} is not allowed: scenes may run only {program_list}, through Manim"
            return None
        if event == "lessonreel.guard.spawn":
            box, params = args
            verdict = check_spawn(params)
            if verdict is not None:
                return verdict
            try:
                box.append(fork_exec(*params))
            except OSError_ as exc:
                box.append(OSError_(exc.errno, exc.strerror))
            except BaseException_:
                box.append(OSError_(1, "the process could not start"))
            return None
        if event in ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
                     "os.startfile", "pty.spawn"):
            return f"{event} is not allowed: scenes may run only {program_list}, through Manim"
        if event == "import":
            name = args[0]
            if type_(name) is str_ and (name in denied_imports or name.partition(".")[0] in denied_imports):
                return f"importing {name!r} is not allowed in a scene (scenes may import {allowed_imports})"
            return None
        if event in ("os.kill", "os.killpg", "signal.pthread_kill"):
            if event == "os.kill" and args[0] == getpid():
                return None
            return "signalling other processes is not allowed"
        return f"{event} is not allowed in a scene"  # the events refused outright

    verdict = None
    while True:
        try:
            event, args = yield verdict
            verdict = judge(event, args)
        except BaseException_:  # never let an exception (and with it this frame) out
            verdict = "the sandbox refused an unexpected request"


#: Audit events the decider judges; every other event passes untouched.
WATCHED = frozenset({
    "open", "os.listdir", "os.scandir", "os.getxattr", "os.listxattr", "os.mkdir", "os.remove", "os.rmdir",
    "os.chmod", "os.chown", "os.utime", "os.chflags", "os.lchflags", "os.lchmod", "os.lchown", "os.setxattr",
    "os.removexattr", "os.truncate", "os.rename", "os.link", "os.symlink", "shutil.rmtree", "shutil.copymode",
    "shutil.copystat", "shutil.chown", "shutil.move", "shutil.copyfile", "shutil.copytree",
    "shutil.unpack_archive", "shutil.make_archive", "tempfile.mkstemp", "tempfile.mkdtemp", "subprocess.Popen",
    "lessonreel.guard.spawn", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.startfile", "pty.spawn", "import", "os.kill", "os.killpg", "signal.pthread_kill",
    # refused outright:
    "os.putenv", "os.unsetenv", "resource.setrlimit", "resource.prlimit", "sys.settrace", "sys.setprofile",
    "sys._current_frames", "sys._current_exceptions", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
    "builtins.input", "builtins.breakpoint", "pickle.find_class", "fcntl.ioctl",
    "sqlite3.connect", "sqlite3.enable_load_extension", "sqlite3.load_extension", "urllib.Request",
    "http.client.connect", "ftplib.connect", "smtplib.connect", "poplib.connect", "imaplib.open",
    "nntplib.connect", "telnetlib.Telnet.open", "webbrowser.open", "os.chroot", "_xxsubinterpreters.create",
})
#: Event families refused outright: any network, any foreign (native) call.
REFUSED_PREFIXES = frozenset({"socket", "ctypes", "_ctypes", "cffi", "winreg", "msvcrt", "_winapi"})
#: Reading these attributes yields a frame; refused for code running inside a check.
FRAME_ATTRS = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame"})
#: Event arguments that are paths, by position.
PATH_ARGS = {
    "open": (0,), "os.listdir": (0,), "os.scandir": (0,), "os.getxattr": (0,), "os.listxattr": (0,),
    "os.mkdir": (0,), "os.remove": (0,), "os.rmdir": (0,), "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,),
    "os.chflags": (0,), "os.lchflags": (0,), "os.lchmod": (0,), "os.lchown": (0,), "os.setxattr": (0,),
    "os.removexattr": (0,), "os.truncate": (0,), "shutil.rmtree": (0,), "shutil.copymode": (0, 1),
    "shutil.copystat": (0, 1), "shutil.chown": (0,), "tempfile.mkstemp": (0,), "tempfile.mkdtemp": (0,),
    "os.rename": (0, 1), "os.link": (0, 1), "os.symlink": (0, 1), "shutil.move": (0, 1),
    "shutil.copyfile": (0, 1), "shutil.copytree": (0, 1), "shutil.unpack_archive": (0, 1),
    "shutil.make_archive": (0, 2), "subprocess.Popen": (0,),
}


def install_audit_hook(config: dict) -> None:
    """Install the hook and route process starts through it. Leaves no reference a scene could use."""
    import posix
    import _posixsubprocess
    import subprocess
    from pathlib import PosixPath, PurePath, PurePosixPath

    if getattr(_posixsubprocess.fork_exec, "_lessonreel_guarded", False):
        raise RuntimeError("the sandbox guard is already installed")
    gen = _decider(config)
    send = gen.send
    send(None)
    watched, prefixes, frame_attrs, path_args = WATCHED, REFUSED_PREFIXES, FRAME_ATTRS, PATH_ARGS
    PermissionError_, BaseException_ = PermissionError, BaseException
    type_, str_, bytes_, int_, bool_, tuple_, list_, none_ = type, str, bytes, int, bool, tuple, list, type(None)
    len_ = len
    plain = (none_, bool_, int_, str_, bytes_)
    fspath, DirEntry, getframe = posix.fspath, posix.DirEntry, sys._getframe
    path_types = (PosixPath, PurePosixPath)
    originals = (PurePath.__fspath__, PurePath.__str__, PurePath._format_parsed_parts)
    guard_globals, mark = globals(), _MARK
    log_refusals, write = bool(config.get("log_refusals")), posix.write

    def inside_check(frame):
        """Whether ``frame`` runs inside the decider (a signal handler or finalizer fired there)."""
        while frame is not None:
            if frame.f_globals is guard_globals and mark in frame.f_locals:
                return True
            frame = frame.f_back
        return False

    def plain_path(p):
        """str/bytes/int as they are; a pristine pathlib path or DirEntry as its text; else unchanged."""
        t = type_(p)
        if t in path_types and (t.__fspath__, t.__str__, t._format_parsed_parts) == originals:
            p = fspath(p)
        elif t is DirEntry:
            p = p.path
        return p

    def spawn_params(box):
        """A copy of fork_exec's arguments made of plain values only, or None."""
        if type_(box) is not list_ or len_(box) != 1 or type_(box[0]) is not tuple_:
            return None
        params = []
        for value in box[0]:
            t = type_(value)
            if t in plain:
                params.append(value)
            elif t is tuple_ or t is list_:
                items = tuple_(value)
                for item in items:
                    if type_(item) not in plain:
                        return None
                params.append(items)
            else:
                return None
        return tuple_(params)

    def hook(event, args):
        if event in watched:
            pass
        elif event == "sys._getframe":
            if inside_check(args[0]):
                raise PermissionError_("lessonreel sandbox: frames are not available here")
            return
        elif event == "object.__getattr__":
            if args[0] is gen:
                raise PermissionError_("lessonreel sandbox: inspecting the sandbox guard is not allowed")
            if args[1] in frame_attrs:
                getframe(0)  # the nested sys._getframe check raises inside a check
            return
        elif type_(event) is str_ and event.partition(".")[0] in prefixes:
            raise PermissionError_(f"lessonreel sandbox: {event} is not allowed in a scene (no network, "
                                   f"no native calls)")
        else:
            return
        try:
            if event == "lessonreel.guard.spawn":
                params = spawn_params(args[0])
                verdict = "malformed process start" if params is None else send((event, (args[0], params)))
            elif event in path_args:
                args = list_(args)
                for i in path_args[event]:
                    args[i] = plain_path(args[i])
                verdict = send((event, tuple_(args)))
            else:
                verdict = send((event, args))
        except BaseException_:
            verdict = "the sandbox guard refused the request"
        if verdict is not None:
            if log_refusals:
                write(2, f"lessonreel.guard: refused {event}: {verdict}\n".encode("utf-8", "replace"))
            raise PermissionError_(f"lessonreel sandbox: {verdict}")

    audit = sys.audit

    def fork_exec(*params):
        box = [params]
        audit("lessonreel.guard.spawn", box)
        if len(box) != 2:
            raise PermissionError_("lessonreel sandbox: the process start was refused")
        if isinstance(box[1], OSError):
            raise box[1]
        return box[1]

    fork_exec._lessonreel_guarded = True
    subprocess._USE_POSIX_SPAWN = False  # always through fork_exec, which the hook checks
    original = _posixsubprocess.fork_exec
    sys.addaudithook(hook)
    # Every loaded module that holds the real fork_exec (subprocess does: _fork_exec) gets the wrapper.
    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if isinstance(namespace, dict):
            for key, value in list(namespace.items()):
                if value is original:
                    namespace[key] = fork_exec
    del original


# ------------------------------------------------------------------ main ---


def _real(path: str | os.PathLike) -> str:
    return os.path.realpath(os.fspath(path))


def python_roots() -> tuple[list[str], list[str]]:
    """(the Python installation's folders, other import folders such as PYTHONPATH entries)."""
    prefixes = {_real(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    installed, other = set(prefixes), set()
    for entry in sys.path[1:]:  # sys.path[0] is just the folder we were started in
        if entry and os.path.isdir(entry):
            real = _real(entry)
            inside = any(real == p or real.startswith(p + "/") for p in prefixes) or "site-packages" in real
            (installed if inside else other).add(real)
    installed.add(_real(PACKAGE_DIR))
    return sorted(installed), sorted(other - installed)


def parse_args(argv: list[str]) -> argparse.Namespace:
    if "--" in argv:
        cut = argv.index("--")
        own, target = argv[:cut], argv[cut + 1:]
    else:
        own, target = argv, []
    parser = argparse.ArgumentParser(prog="python -m lessonreel.guard", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", required=True, help="the only folder the code may write in")
    parser.add_argument("--cwd", help="folder to run in (default: the working folder)")
    parser.add_argument("--allow-read", action="append", default=[], metavar="DIR",
                        help="an extra folder the code may read (dot files in it stay hidden)")
    parser.add_argument("--memory-mb", type=int, default=3072)
    parser.add_argument("--file-size-mb", type=int, default=512)
    parser.add_argument("--cpu-seconds", type=int, default=900)
    parser.add_argument("--open-files", type=int, default=1024)
    parser.add_argument("--preload", default="manim", help="comma-separated modules imported before the hook")
    parser.add_argument("--no-kernel", action="store_true",
                        help="skip the kernel layers (network namespace, Landlock, capabilities); for tests")
    parser.add_argument("--no-audit-hook", action="store_true", help="skip the audit hook; for tests")
    parser.add_argument("--ready-fd", type=int, help="write one byte to this descriptor when the target starts")
    parser.add_argument("--log-refusals", action="store_true",
                        help="also print every refusal to stderr (shows those that library code swallowed)")
    parser.add_argument("--describe", action="store_true", help="print the active layers as JSON and exit")
    opts = parser.parse_args(own)
    opts.target = target
    if not opts.describe and (len(target) < 1):
        parser.error("give the command to run after --, e.g. -- -m manim render scene.py Scene")
    return opts


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(list(sys.argv[1:] if argv is None else argv))
    workdir = Path(opts.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    cwd = Path(opts.cwd).resolve() if opts.cwd else workdir
    tmp = workdir / "tmp"
    tmp.mkdir(exist_ok=True)

    layers: dict = {"limits": apply_limits(opts.memory_mb, opts.file_size_mb, opts.cpu_seconds, opts.open_files)}
    tame_threads()
    # TeX may read (besides its own installation) and write only below TEXMFOUTPUT (the working
    # folder), no dot files, no shell. kpathsea's paranoid mode refuses every path with a dot folder
    # in it, so a working folder inside one (~/.cache/...) leaves TeX reads to Landlock.
    paranoid = not any(part.startswith(".") for part in workdir.parts)
    os.environ.update({
        "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp),
        "openin_any": "p" if paranoid else "a", "openout_any": "p", "shell_escape": "f",
        "TEXMFOUTPUT": str(workdir),
    })
    layers["tex_paranoid"] = paranoid
    for key in [k for k in os.environ if k.startswith(("LD_", "PYTHONSTARTUP", "PYTHONINSPECT"))]:
        del os.environ[key]
    os.chdir(cwd)

    programs = {}
    for name in ALLOWED_PROGRAMS:
        found = shutil.which(name)
        if found:
            programs[name] = _real(found)
    installed, import_dirs = python_roots()
    # Project folders (the extra read folders, the folder we run in, PYTHONPATH): readable, but not
    # their dot files and folders (.env, .git, .snakemake...).
    strict = sorted({_real(p) for p in opts.allow_read} | {str(cwd)} | set(import_dirs))
    read = sorted(set(installed) | {p for p in SYSTEM_READ if os.path.exists(p)})
    layers["network"] = layers["landlock"] = ""
    layers["capabilities_dropped"] = False
    if not opts.no_kernel:
        # Still single-threaded (nothing that starts threads is imported yet), so these
        # layers bind every thread and process that comes later.
        layers["network"] = isolate_network()
        native = sorted(set(read) | set(strict) | {p for p in NATIVE_READ if os.path.exists(p)} | {"/proc/self"})
        executables = set(programs.values()) | {elf_interpreter(p) for p in programs.values()}
        layers["landlock"] = apply_landlock(read=native, write=[str(workdir)], execute=sorted(filter(None, executables)),
                                            devices_rw=["/dev/null"])
        layers["capabilities_dropped"] = drop_capabilities()
        if not layers["landlock"]:
            print("lessonreel.guard: warning: Landlock is not available; files are guarded only inside Python",
                  file=sys.stderr)

    for module in filter(None, opts.preload.split(",")):
        __import__(module)

    if not opts.no_audit_hook:
        install_audit_hook({
            "read": read, "write": [str(workdir)], "strict_read": strict, "devices": ["/dev/null"],
            "programs": programs, "denied_imports": sorted(DENIED_IMPORTS),
            "allowed_imports": "manim, lessonreel.kit and the standard modules of the scene policy",
            "log_refusals": opts.log_refusals,
        })
    layers["audit_hook"] = not opts.no_audit_hook
    layers["programs"] = programs
    layers["read"], layers["strict_read"], layers["write"] = read, strict, [str(workdir)]

    if opts.describe:
        print(json.dumps(layers, sort_keys=True))
        return 0

    if opts.ready_fd is not None:  # the parent's clock for the target starts now
        try:
            os.write(opts.ready_fd, b"r")
        finally:
            os.close(opts.ready_fd)
    target = opts.target
    try:
        if target[0] == "-m" and len(target) >= 2:
            sys.argv = [target[1], *target[2:]]
            runpy.run_module(target[1], run_name="__main__", alter_sys=True)
        elif target[0] == "-c" and len(target) >= 2:
            sys.argv = ["-c", *target[2:]]
            exec(compile(target[1], "<string>", "exec"), {"__name__": "__main__"})
        else:
            sys.argv = list(target)
            runpy.run_path(target[0], run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
