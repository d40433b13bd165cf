"""Safe parsing of the function expressions users write for plots ("x**2 - 1").

Expressions are user input that ends up inside generated code, so they are
parsed with ``ast`` and only arithmetic on ``x``, numbers, a few constants and
a whitelist of numpy functions is accepted. No attribute access except the
``np.``/``numpy.``/``math.`` prefixes on whitelisted names, no subscripts, no
keywords, no dunder names.
"""

from __future__ import annotations

import ast
import math

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


def _check(node: ast.AST) -> None:
    if isinstance(node, ast.Expression):
        _check(node.body)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, _BINOPS):
        _check(node.left)
        _check(node.right)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, _UNARY):
        _check(node.operand)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        pass
    elif isinstance(node, ast.Name):
        if node.id != "x" and node.id not in CONSTANTS:
            raise ExpressionError(f"unknown name {node.id!r}; use x, pi, e or tau")
    elif isinstance(node, ast.Call):
        _function_name(node.func)
        if node.keywords or len(node.args) != 1:
            raise ExpressionError("functions take exactly one argument")
        _check(node.args[0])
    else:
        raise ExpressionError(f"{type(node).__name__} is not allowed in a function of x")


def parse(expression: str) -> ast.Expression:
    """Parse and check an expression; raise ExpressionError if it is not safe."""
    source = expression.replace("^", "**").strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"not a valid expression ({exc.msg})") from None
    _check(tree)
    return tree


def compile_function(expression: str):
    """Return a vectorised numpy function f(x) for a checked expression."""
    import numpy as np

    tree = parse(expression)
    namespace = {name: getattr(np, name) for name in FUNCTIONS}
    namespace.update({alias: getattr(np, target) for alias, target in ALIASES.items()})
    namespace.update(CONSTANTS)
    namespace.update({prefix: _Prefix(namespace) for prefix in MODULE_PREFIXES})
    code = compile(tree, "<function>", "eval")

    def f(x):
        with np.errstate(all="ignore"):
            return eval(code, {"__builtins__": {}}, {**namespace, "x": x})

    return f


class _Prefix:
    """Stands for np/numpy/math: exposes only the whitelisted functions."""

    def __init__(self, namespace: dict):
        self._ns = namespace

    def __getattr__(self, name: str):
        return self._ns[ALIASES.get(name, name)]
