"""Refuse TeX that could read or write files or run commands.

TeX from topic files is compiled by LaTeX during rendering; a formula must not
be able to ``\\input`` a secret, ``\\write`` a file or reach the shell. We
refuse the primitives and macros that do I/O or rewire the parser, and the
``^^`` notation that could spell them in disguise.
"""

from __future__ import annotations

import re

FORBIDDEN = (
    "input", "include", "includeonly", "InputIfFileExists", "IfFileExists", "openin", "openout",
    "read", "readline", "write", "immediate", "closein", "closeout", "newread", "newwrite",
    "catcode", "lccode", "uccode", "csname", "endcsname", "expandafter", "special", "ShellEscape",
    "directlua", "latelua", "usepackage", "RequirePackage", "documentclass",
    "def", "edef", "gdef", "xdef", "let", "futurelet", "newcommand", "renewcommand",
    "providecommand", "DeclareRobustCommand", "makeatletter", "verbatiminput", "lstinputlisting",
    "includegraphics", "jobname", "pdffilesize", "pdffiledump", "pdfshellescape", "scantokens",
    "everyeof", "endinput", "begingroup", "output", "everypar", "everymath", "everydisplay",
)
_COMMAND = re.compile(r"\\([A-Za-z@]+)")


def tex_problem(tex: str) -> str | None:
    """Return why ``tex`` is refused, or None when it is safe to compile."""
    if "^^" in tex:
        return "the ^^ character notation is not allowed"
    for match in _COMMAND.finditer(tex):
        if match.group(1) in FORBIDDEN:
            return f"the command \\{match.group(1)} is not allowed (it can reach files or the shell)"
    if re.search(r"\\begin\s*\{\s*(filecontents|verbatim)", tex):
        return "file and verbatim environments are not allowed"
    return None
