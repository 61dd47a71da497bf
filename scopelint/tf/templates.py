"""``tf.make_template``: a function whose variables are made on the first call and shared after.

As TF's ``template.Template``: the first call opens the template's scope (``name_`` numbered by
``default_name``, or ``unique_name_``), or the one captured at construction with
``create_scope_now_``; every later call re-enters that scope with reuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import STAR_KEY, UNKNOWN, Function, truth
from ..state import VScope
from .registry import api, call
from .scopes import enter_variable_scope, scope_call


@dataclass(eq=False)
class Template:
    name: Any
    func: Any
    kwargs: dict
    unique_name: Any
    scope: VScope | None = None
    called: bool = False


_RESERVED = frozenset({"name_", "func_", "create_scope_now_", "unique_name_", "custom_getter_"})


@api("make_template")
def make_template(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    template = Template(
        name=get(0, "name_"), func=get(1, "func_"),
        kwargs={k: v for k, v in kwargs.items() if k not in _RESERVED and k != STAR_KEY},
        unique_name=get(3, "unique_name_"),
    )
    if get(-1, "custom_getter_") is not None or not isinstance(template.func, Function):
        sim.opaque(args, kwargs)
        return UNKNOWN
    if truth(get(2, "create_scope_now_", False)):
        template.scope, exit_ = enter_variable_scope(
            sim, scope_call(node, template.unique_name, default_name=template.name)
        )
        exit_()
    return template


@call(Template)
def call_template(sim: Any, template: Template, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if template.scope is None:
        opened = scope_call(node, template.unique_name, default_name=template.name)
        template.scope, exit_ = enter_variable_scope(sim, opened)
    else:
        # Every call after the first shares: it re-enters the captured scope with reuse.
        reuse = True if template.called else None
        _, exit_ = enter_variable_scope(sim, scope_call(node, template.scope, reuse=reuse))
    try:
        return sim.call_function(template.func, list(args), {**template.kwargs, **kwargs}, node)
    finally:
        exit_()
        template.called = True
