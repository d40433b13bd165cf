#!/usr/bin/env bash
# Install everything lessonreel needs on Debian (system packages and a Python
# virtual environment in .venv), then run one job:
#
#   ./setup.sh render   install, then render the example topics in topics/ into results/
#                       at final quality (1080p60; QUALITY=preview|draft|final to change)
#   ./setup.sh test     install, then run the whole test suite
#   ./setup.sh install  install only
#
# Extra arguments go to the job: ./setup.sh render --config quality=preview
set -euo pipefail
cd "$(dirname "$0")"

job="${1:-install}"
shift || true

# System packages: ffmpeg (joining, probing), LaTeX with dvisvgm (Manim's MathTex),
# Pango/Cairo headers and a compiler (Manim's text and drawing libraries build
# from source), fonts (DejaVu; Noto CJK for Chinese, Japanese and Korean lessons) and
# espeak-ng (the offline narration voice).
APT_PACKAGES=(ffmpeg texlive-latex-base dvisvgm libpango1.0-dev libcairo2-dev pkg-config
              build-essential fonts-dejavu-core fonts-noto-cjk espeak-ng)
# Only for the test suite: a real single-node Slurm cluster (slurm-wlm, munge) for the
# cluster profile's test, and a headless Chromium for the gallery's test.
if [ "$job" = "test" ]; then APT_PACKAGES+=(slurm-wlm munge chromium); fi
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c "import ensurepip" 2>/dev/null; then APT_PACKAGES+=(python3-venv); fi
if ! "$PYTHON" -c "import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))"; then
    APT_PACKAGES+=(python3-dev)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> installing system packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages, re-installed only when pyproject.toml changes.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "==> installing Python packages into .venv"
    [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test,slurm]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"

case "$job" in
    render)
        quality="${QUALITY:-final}"
        echo "==> rendering topics/ into results/ at $quality quality"
        start=$(date +%s)
        snakemake --profile profiles/local --config quality="$quality" "$@"
        echo "==> done in $(( $(date +%s) - start )) s; videos: results/*/video.mp4"
        ;;
    test)
        echo "==> running the test suite"
        python -m pytest "$@"
        ;;
    install)
        echo "==> installed; activate with: source .venv/bin/activate"
        ;;
    *)
        echo "usage: ./setup.sh render|test|install [arguments for the job]" >&2
        exit 2
        ;;
esac
