"""A real single-node Slurm cluster on this machine, for testing profiles/slurm.

Debian's ``slurm-wlm`` and ``munge`` packages provide the daemons. Everything a
cluster keeps (configuration, state, spool, pid and log files, and a private
MUNGE daemon with its own key and socket) lives in one temporary folder, with
one exception: a copy of the configuration at ``/etc/slurm/slurm.conf``. The
Snakemake Slurm executor runs ``srun`` inside each job with every ``SLURM_*``
variable removed, ``SLURM_CONF`` included, so the job's ``srun`` only finds the
cluster through the default path, as on a real cluster. That file is written
only when it is absent or was written by this module, and removed again.

The daemons are started and stopped by a separate process,
``python tests/slurm_cluster.py serve``, run as root (through
``sudo -n`` when the tests are not). It prints one JSON line when the cluster
is up (or why it is not), then waits for a line on stdin. When that line comes,
or stdin closes because the test process ended in any way, it cancels the jobs,
stops every daemon it started by pid, ends any process a job left behind and
removes the configuration it installed. :class:`SlurmCluster` is the test side.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Every program the cluster and the Snakemake executor use.
BINARIES = ("munged", "slurmctld", "slurmd", "sbatch", "srun", "squeue", "sinfo", "scontrol", "scancel")
GLOBAL_CONF = Path("/etc/slurm/slurm.conf")
MARKER = "# Written by lessonreel's tests/slurm_cluster.py for a test cluster; removed when it stops."
# One test cluster per machine at a time (ports, /etc/slurm/slurm.conf): a second waits for the first.
LOCK_FILE = Path("/run/lock/lessonreel-slurm-test.lock") if Path("/run/lock").is_dir() else Path("/tmp/lessonreel-slurm-test.lock")
LOCK_WAIT = 240  # seconds
CLUSTER_NAME = "lessonreel-test"


class ClusterError(RuntimeError):
    """The cluster did not come up (or did not work); the message says why and shows the logs."""


def missing_binaries() -> list[str]:
    found = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    return [name for name in BINARIES if shutil.which(name, path=found) is None]


def _which(name: str) -> str:
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") or name


def _free_ports(count: int) -> list[int]:
    """Ports nothing listens on now (all bound at once, so they differ)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no file)"


def _die_with_parent() -> None:
    """In a daemon started by the server: die with it, even if the server is killed outright."""
    import ctypes

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class _Server:
    """Runs as root: starts munged, slurmctld and slurmd in the foreground and stops them by pid."""

    def __init__(self, root: Path):
        self.root = root
        self.conf = root / "slurm.conf"
        self.logs = root / "log"
        self.procs: dict[str, subprocess.Popen] = {}
        self.installed_conf = False
        self.lock = None
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}
        self.node = socket.gethostname().split(".")[0]

    # --- start -----------------------------------------------------------------------------
    def start(self, timeout: float) -> dict:
        self._take_lock(time.monotonic() + LOCK_WAIT)
        deadline = time.monotonic() + timeout
        for sub in ("log", "state", "spool", "run", "munge"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self.logs.chmod(0o755)
        (self.root / "munge").chmod(0o755)  # munged: the socket folder must be searchable by all
        self._start_munge(deadline)
        self._write_conf()
        self._spawn("slurmctld", [_which("slurmctld"), "-D", "-i", "-f", str(self.conf)])
        self._wait(deadline, "slurmctld to answer", lambda: self._run("scontrol", "ping").stdout.count("UP") > 0)
        self._spawn("slurmd", [_which("slurmd"), "-D", "-f", str(self.conf), "-N", self.node])
        self._wait(deadline, f"node {self.node} to be idle", self._node_idle)
        smoke = self._smoke_test(deadline)
        for log in self.logs.iterdir():
            log.chmod(0o644)
        return {"ready": True, "conf": str(self.conf), "node": self.node, "logs": str(self.logs),
                "smoke_job": smoke}

    def _take_lock(self, deadline: float) -> None:
        self.lock = open(LOCK_FILE, "a+")
        while True:
            try:
                fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ClusterError(f"another test cluster holds {LOCK_FILE}; gave up waiting") from None
                time.sleep(1)

    def _spawn(self, name: str, cmd: list[str], **kwargs) -> None:
        out = open(self.logs / f"{name}.out", "ab")
        self.procs[name] = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                            env=self.env, preexec_fn=_die_with_parent, **kwargs)
        out.close()

    def _start_munge(self, deadline: float) -> None:
        munge = self.root / "munge"
        key = munge / "munge.key"
        with open(os.open(key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
            fh.write(os.urandom(1024))
        self.socket = munge / "munge.socket"
        self._spawn("munged", [_which("munged"), "--foreground", f"--socket={self.socket}", f"--key-file={key}",
                               f"--pid-file={munge / 'munged.pid'}", f"--seed-file={munge / 'munged.seed'}",
                               f"--log-file={self.logs / 'munged.log'}"])

        def works() -> bool:
            if shutil.which("munge") is None:
                return self.socket.exists()
            encoded = subprocess.run(["munge", "-n", "-S", str(self.socket)], capture_output=True, timeout=10)
            decoded = subprocess.run(["unmunge", "-S", str(self.socket)], input=encoded.stdout,
                                     capture_output=True, timeout=10)
            return b"Success" in decoded.stdout

        self._wait(deadline, "munged to answer", works)

    def _node_line(self) -> str:
        """This machine as `slurmd -C` sees it, with a little memory held back for the system."""
        out = subprocess.run([_which("slurmd"), "-C"], capture_output=True, text=True, timeout=30).stdout
        line = next((l for l in out.splitlines() if l.startswith("NodeName=")), "")
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        memory = int(fields.get("RealMemory", "2048"))
        keep = ("CPUs", "Boards", "SocketsPerBoard", "CoresPerSocket", "ThreadsPerCore")
        hw = " ".join(f"{k}={fields[k]}" for k in keep if k in fields) or f"CPUs={os.cpu_count()}"
        return f"NodeName={self.node} NodeAddr=127.0.0.1 {hw} RealMemory={int(memory * 0.9)} State=UNKNOWN"

    def _write_conf(self) -> None:
        r = self.root
        ctld_port, slurmd_port = _free_ports(2)
        text = "\n".join([
            MARKER,
            f"ClusterName={CLUSTER_NAME}",
            f"SlurmctldHost={self.node}(127.0.0.1)",
            f"SlurmctldPort={ctld_port}",
            f"SlurmdPort={slurmd_port}",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={self.socket}",
            "SlurmUser=root",
            "SlurmdUser=root",
            f"StateSaveLocation={r / 'state'}",
            f"SlurmdSpoolDir={r / 'spool'}",
            f"SlurmctldPidFile={r / 'run' / 'slurmctld.pid'}",
            f"SlurmdPidFile={r / 'run' / 'slurmd.pid'}",
            f"SlurmctldLogFile={self.logs / 'slurmctld.log'}",
            f"SlurmdLogFile={self.logs / 'slurmd.log'}",
            "SlurmctldDebug=info",
            "SlurmdDebug=info",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "SchedulerType=sched/backfill",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "MpiDefault=none",
            "ReturnToService=2",
            # Finished jobs stay visible to `squeue` for 5 minutes: the executor's status command.
            "MinJobAge=300",
            self._node_line(),
            "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
            "",
        ])
        self.conf.write_text(text)
        self.conf.chmod(0o644)
        if GLOBAL_CONF.exists() and MARKER not in GLOBAL_CONF.read_text(errors="replace"):
            raise ClusterError(f"{GLOBAL_CONF} belongs to a real Slurm installation; not starting a test cluster "
                               "next to it")
        GLOBAL_CONF.parent.mkdir(parents=True, exist_ok=True)
        tmp = GLOBAL_CONF.with_name(".slurm.conf.lessonreel-test")
        tmp.write_text(text)
        tmp.chmod(0o644)
        os.replace(tmp, GLOBAL_CONF)
        self.installed_conf = True

    def _run(self, *cmd: str, timeout: float = 15) -> subprocess.CompletedProcess:
        try:
            return subprocess.run([_which(cmd[0]), *cmd[1:]], capture_output=True, text=True, timeout=timeout,
                                  env=self.env)
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(cmd, 124, "", f"timed out after {timeout} s")

    def _node_idle(self) -> bool:
        out = self._run("sinfo", "-h", "-N", "-o", "%T").stdout.split()
        return bool(out) and all(state.rstrip("*~#") == "idle" for state in out)

    def _smoke_test(self, deadline: float) -> str:
        out = self.root / "smoke.out"
        sub = self._run("sbatch", "--parsable", "-o", str(out), "--wrap", "hostname")
        if sub.returncode != 0:
            raise ClusterError(f"sbatch --wrap hostname failed: {sub.stderr.strip()}")
        jobid = sub.stdout.strip().split(";")[0]

        def done() -> bool:
            state = self._run("squeue", "-h", "--states=all", "-j", jobid, "-o", "%T").stdout.strip()
            if state in ("FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "BOOT_FAIL", "OUT_OF_MEMORY"):
                raise ClusterError(f"the smoke job {jobid} ended {state}")
            return state == "COMPLETED"

        self._wait(deadline, f"`sbatch --wrap hostname` (job {jobid}) to complete", done)
        if socket.gethostname() not in out.read_text():
            raise ClusterError(f"the smoke job {jobid} printed {out.read_text()!r}, not this host's name")
        return jobid

    def _wait(self, deadline: float, what: str, check) -> None:
        while True:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise ClusterError(f"{name} exited with {proc.returncode} while waiting for {what}")
            if check():
                return
            if time.monotonic() > deadline:
                raise ClusterError(f"timed out waiting for {what}")
            time.sleep(0.5)

    def diagnostics(self) -> str:
        parts = [f"sinfo: {self._run('sinfo', '-N', '-l').stdout.strip()}" if "slurmctld" in self.procs else ""]
        for log in sorted(self.logs.iterdir()) if self.logs.is_dir() else []:
            parts.append(f"--- {log.name} (end) ---\n{_tail(log)}")
        return "\n".join(p for p in parts if p)

    # --- stop ------------------------------------------------------------------------------
    def stop(self) -> list[str]:
        """Cancel the jobs, stop the daemons this server started, end what jobs left; returns leftovers."""
        if self.procs.get("slurmctld") and self.procs["slurmctld"].poll() is None:
            ids = self._run("squeue", "-h", "-o", "%i").stdout.split()
            if ids:
                self._run("scancel", *ids)
                end = time.monotonic() + 15
                while time.monotonic() < end and self._run("squeue", "-h", "-t", "PD,R,CG", "-o", "%i").stdout.strip():
                    time.sleep(0.5)
        for name in ("slurmd", "slurmctld", "munged"):
            proc = self.procs.get(name)
            if proc is None or proc.poll() is not None:
                continue
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
        # Job steps (slurmstepd) and job processes carry this cluster's SLURM_CONF (from
        # slurmd or the submitting shell) or its name (set by Slurm) in their environment.
        leftovers = self._processes_of_this_cluster()
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.installed_conf and GLOBAL_CONF.exists() and MARKER in GLOBAL_CONF.read_text(errors="replace"):
            GLOBAL_CONF.unlink()
        if self.lock is not None:
            self.lock.close()
        return [f"{pid}" for pid in leftovers]

    def _processes_of_this_cluster(self) -> list[int]:
        markers = {f"SLURM_CONF={self.conf}".encode(), f"SLURM_CLUSTER_NAME={CLUSTER_NAME}".encode()}
        mine = {os.getpid(), os.getppid()}
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in mine:
                continue
            try:
                environ = set((entry / "environ").read_bytes().split(b"\0"))
            except OSError:
                continue
            if markers & environ:
                found.append(int(entry.name))
        return found


def serve(timeout: float) -> int:
    """The server process: start, report one JSON line, wait for stdin to say stop (or close), stop.

    The cluster's folder is made here, owned by root (munged refuses folders other
    users own), and removed after the daemons stopped.
    """
    # A short path: the munge socket's path must stay under 108 bytes.
    server = _Server(Path(tempfile.mkdtemp(prefix="lr-slurm-", dir="/tmp")))
    stopping = False

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        try:
            report = server.start(timeout)
        except (ClusterError, OSError, subprocess.SubprocessError) as exc:
            report = {"ready": False, "error": f"{type(exc).__name__}: {exc}\n{server.diagnostics()}"}
        print(json.dumps(report), flush=True)
        if report["ready"]:
            try:
                sys.stdin.readline()
            except KeyboardInterrupt:
                pass
        stopping = True
    except KeyboardInterrupt:
        pass
    finally:
        leftovers = server.stop()
        shutil.rmtree(server.root, ignore_errors=True)
        if stopping:
            try:
                print(json.dumps({"stopped": True, "ended_leftover_processes": leftovers}), flush=True)
            except BrokenPipeError:  # the test process is gone: nobody to tell
                pass
    return 0


class SlurmCluster:
    """The test side: runs the server (as root), gives the environment to talk to the cluster.

    Use as a context manager; leaving it stops the cluster. `start` raises
    ClusterError with the daemons' logs when the cluster does not come up.
    """

    def __init__(self, start_timeout: float = 90):
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.info: dict = {}
        self.stop_report: dict = {}

    def __enter__(self) -> "SlurmCluster":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "serve", str(self.start_timeout)]
        if os.geteuid() != 0:
            if shutil.which("sudo") is None or subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode:
                raise ClusterError("starting Slurm's daemons needs root: run the tests as root or with "
                                   "passwordless sudo")
            cmd = ["sudo", "-n", *cmd]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     start_new_session=True)
        limit = LOCK_WAIT + self.start_timeout + 30
        line = self._read_line(limit)
        if line is None:
            raise ClusterError(f"the cluster server said nothing within {limit:.0f} s")
        self.info = json.loads(line)
        if not self.info.get("ready"):
            raise ClusterError(f"the Slurm test cluster did not come up: {self.info.get('error')}")

    def _read_line(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        return self.proc.stdout.readline() if ready else None

    def stop(self) -> None:
        """Stop the cluster: the server stops the daemons by pid and removes the cluster's folder."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.write("stop\n")
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
            line = self._read_line(60)
            if line:
                self.stop_report = json.loads(line)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    # --- talking to the cluster ---------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        """The environment for clients (sbatch, squeue, Snakemake) of this cluster."""
        return {**os.environ, "SLURM_CONF": self.info["conf"]}

    def run(self, *cmd: str, timeout: float = 30) -> subprocess.CompletedProcess:
        return subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, env=self.env)

    def jobs(self) -> list[dict]:
        """Every job the controller still knows (finished ones for MinJobAge = 300 s).

        id, name (the executor's run id), state, time_limit, memory, cpus, node and
        comment (the executor writes rule_<rule>_wildcards_<values> there).
        """
        fields = ("id", "name", "state", "time_limit", "memory", "cpus", "node", "comment")
        out = self.run("squeue", "-h", "--states=all", "-o", "%i|%j|%T|%l|%m|%C|%N|%k").stdout
        return [dict(zip(fields, line.split("|", len(fields) - 1))) for line in out.splitlines() if line.strip()]

    def controller_log(self) -> str:
        return (Path(self.info["logs"]) / "slurmctld.log").read_text(errors="replace")

    def log_tails(self) -> str:
        logs = Path(self.info.get("logs", ""))
        if not self.info.get("logs") or not logs.is_dir():
            return ""
        return "\n".join(f"--- {p.name} (end) ---\n{_tail(p)}" for p in sorted(logs.iterdir()))


DAEMONS = ("munged", "slurmctld", "slurmd", "slurmstepd", "slurmscriptd")


def daemon_processes() -> dict[int, str]:
    """Live (not zombie) Slurm and munge processes on this machine: pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        comm, state = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()[0]
        if state != "Z" and (comm in DAEMONS or comm.startswith("slurmctld") or cmdline.startswith("slurmctld:")):
            found[int(entry.name)] = cmdline or comm
    return found


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "serve":
        sys.exit(serve(float(sys.argv[2]) if len(sys.argv) > 2 else 90))
    print(__doc__)
    sys.exit(2)
