"""Safe parsing of the function expressions users write for plots ("x**2 - 1").

Expressions are user input that ends up inside generated code, so they are
parsed with ``ast`` and only arithmetic on ``x``, numbers, a few constants and
a whitelist of numpy functions is accepted. No attribute access except the
``np.``/``numpy.``/``math.`` prefixes on whitelisted names, no subscripts, no
keywords, no dunder names. A plot with a parameter (``a*x^2``) passes its
name as an extra allowed name; every other name stays refused.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterable

FUNCTIONS = {
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
    "exp", "log", "log2", "log10", "sqrt", "abs", "floor", "ceil", "sign",
}
ALIASES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "ln": "log"}
CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}
MODULE_PREFIXES = {"np", "numpy", "math"}

_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.Mod, ast.FloorDiv)
_UNARY = (ast.UAdd, ast.USub)


class ExpressionError(ValueError):
    """The expression is not a safe function of x."""


def _function_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        name = node.id
    elif (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in MODULE_PREFIXES
    ):
        name = node.attr
    else:
        raise ExpressionError("only plain function calls like sin(x) are allowed")
    name = ALIASES.get(name, name)
    if name not in FUNCTIONS:
        raise ExpressionError(f"unknown function {name!r}; allowed: {', '.join(sorted(FUNCTIONS))}")
    return name


def _check(node: ast.AST, names: frozenset = frozenset()) -> None:
    if isinstance(node, ast.Expression):
        _check(node.body, names)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, _BINOPS):
        _check(node.left, names)
        _check(node.right, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, _UNARY):
        _check(node.operand, names)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        pass
    elif isinstance(node, ast.Name):
        if node.id != "x" and node.id not in CONSTANTS and node.id not in names:
            extra = "".join(f"{n}, " for n in sorted(names))
            raise ExpressionError(f"unknown name {node.id!r}; use x, {extra}pi, e or tau")
    elif isinstance(node, ast.Call):
        _function_name(node.func)
        if node.keywords or len(node.args) != 1:
            raise ExpressionError("functions take exactly one argument")
        _check(node.args[0], names)
    else:
        raise ExpressionError(f"{type(node).__name__} is not allowed in a function of x")


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,7}$")
RESERVED = {"x", *CONSTANTS, *FUNCTIONS, *ALIASES, *MODULE_PREFIXES}


def check_name(name: str) -> None:
    """An extra name (a plot's parameter) must be a short plain name that means nothing else."""
    if not isinstance(name, str) or not _NAME.match(name) or name in RESERVED:
        raise ExpressionError(f"{name!r} cannot name a parameter: use a short name (a letter, then letters, "
                              f"digits or _) other than x, {', '.join(sorted(CONSTANTS))} and the function names")


def parse(expression: str, names: Iterable[str] = ()) -> ast.Expression:
    """Parse and check an expression; raise ExpressionError if it is not safe.

    ``names`` are extra names the expression may use besides x (a plot's parameter).
    """
    names = frozenset(names)
    for name in names:
        check_name(name)
    source = expression.replace("^", "**").strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"not a valid expression ({exc.msg})") from None
    _check(tree, names)
    return tree


def compile_function(expression: str, names: Iterable[str] = ()):
    """Return a vectorised numpy function f(x) for a checked expression.

    With extra ``names`` it is f(x, **values), the values of those names given
    by keyword (``f(xs, a=2.0)``).
    """
    import numpy as np

    names = tuple(names)
    tree = parse(expression, names)
    namespace = {name: getattr(np, name) for name in FUNCTIONS}
    namespace.update({alias: getattr(np, target) for alias, target in ALIASES.items()})
    namespace.update(CONSTANTS)
    namespace.update({prefix: _Prefix(namespace) for prefix in MODULE_PREFIXES})
    code = compile(tree, "<function>", "eval")

    def f(x, **values):
        if set(values) != set(names):
            raise TypeError(f"give the values of {', '.join(names) or 'no names'}, got {', '.join(values) or 'none'}")
        with np.errstate(all="ignore"):
            return eval(code, {"__builtins__": {}}, {**namespace, **values, "x": x})

    return f


class _Prefix:
    """Stands for np/numpy/math: exposes only the whitelisted functions."""

    def __init__(self, namespace: dict):
        self._ns = namespace

    def __getattr__(self, name: str):
        return self._ns[ALIASES.get(name, name)]
