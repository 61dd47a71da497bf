"""``tf.make_template``: a function whose variables are made on the first call and shared after.

As TF's ``template.Template``: the first call opens the template's scope (``name_`` numbered by
``default_name``, or ``unique_name_``), or the one captured at construction with
``create_scope_now_`` (a pure variable scope: no name scope is opened then); every later call
re-enters that scope with reuse. ``custom_getter_`` is the scope's getter. The template answers
``variable_scope``, ``variable_scope_name``, ``name`` and ``func`` as TF's does (Sonnet 1 builds
every module on one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import STAR_KEY, UNKNOWN, Function, Instance, Partial, TFRef, truth
from .state import VScope
from .registry import HOOKS, api, attribute, call, presence
from .scopes import VarScopeCall, enter_variable_scope, scope_call


@dataclass(eq=False)
class Template:
    name: Any
    func: Any
    kwargs: dict
    unique_name: Any
    custom_getter: Any = None
    scope: VScope | None = None
    called: bool = False


_RESERVED = frozenset({"name_", "func_", "create_scope_now_", "unique_name_", "custom_getter_",
                       "create_graph_function_"})


def _followed(func: Any) -> bool:
    """A callable whose code the analysis runs: a function or method of the program, a
    ``functools.partial`` of one, an object with ``__call__``, or an API the model knows
    (a slim layer, ``add_arg_scope`` function)."""
    if isinstance(func, Partial):
        return _followed(func.func)
    if isinstance(func, Instance):
        return isinstance(func.cls.lookup("__call__"), Function)
    if isinstance(func, TFRef):
        return HOOKS.canonical(func.path) in HOOKS.apis
    return isinstance(func, Function) or type(func) in HOOKS.calls


@api("make_template")
def make_template(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    template = Template(
        name=get(0, "name_"), func=get(1, "func_"),
        kwargs={k: v for k, v in kwargs.items() if k not in _RESERVED and k != STAR_KEY},
        unique_name=get(3, "unique_name_"),
    )
    template.custom_getter = get(4, "custom_getter_")
    if not _followed(template.func):
        sim.opaque(args, kwargs)
        return UNKNOWN
    if truth(get(2, "create_scope_now_", False)):
        template.scope, exit_ = enter_variable_scope(sim, _scope_call(node, template, aux=False))
        exit_()
    return template


def _scope_call(node: cst.CSTNode, template: Template, aux: bool) -> VarScopeCall:
    opened = scope_call(node, template.unique_name, default_name=template.name, aux=aux)
    opened.custom_getter = template.custom_getter
    return opened


@call(Template)
def call_template(sim: Any, template: Template, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if template.scope is None:
        template.scope, exit_ = enter_variable_scope(sim, _scope_call(node, template, aux=True))
    else:
        # Every call after the first shares: it re-enters the captured scope with reuse.
        reuse = True if template.called else None
        _, exit_ = enter_variable_scope(sim, scope_call(node, template.scope, reuse=reuse))
    try:
        return sim.call_value(template.func, list(args), {**template.kwargs, **kwargs}, node)
    finally:
        exit_()
        template.called = True


@attribute(Template)
def template_attribute(sim: Any, template: Template, attr: str, node: cst.CSTNode) -> Any:
    if attr == "variable_scope":
        return template.scope  # None until the scope is made
    if attr == "variable_scope_name":
        name = template.scope.name if template.scope is not None else None
        if template.scope is None:
            return None
        if name is None:
            return UNKNOWN
        return name if not name or name.endswith("/") else name + "/"
    if attr == "name":
        return template.name
    if attr == "func":
        return template.func
    return UNKNOWN


# What only eager mode's template (EagerTemplate) keeps: a graph's template has none of these.
_EAGER_ONLY = frozenset({"_template_store", "_variable_scope_context_manager"})


@presence(Template)
def template_has(template: Template, attr: str) -> Any:
    if attr in _EAGER_ONLY:
        return False
    if attr in ("variable_scope", "variable_scope_name", "name", "func", "variables",
                "trainable_variables", "non_trainable_variables", "global_variables",
                "local_variables"):
        return True
    return None
