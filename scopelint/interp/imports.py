"""Imports: modules of the linted tree run once (like ``sys.modules``); others are references.

``import`` of a module of the run's ``ProjectIndex`` executes its code in a fresh namespace, at
most ``MAX_IMPORT_DEPTH`` imports deep; the modelled package (TensorFlow) becomes ``TFRef``s;
anything else is a ``ModuleRef``. Part of ``Interpreter``.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from .args import dotted
from .signals import (
    MAX_IMPORT_DEPTH, MAX_IMPORT_STEPS, MAX_INSTALLED_DEPTH, OutOfBudget, Terminate,
)
from .values import UNKNOWN, Env, ModuleRef, ProjectModule, TFRef


class Imports:
    # -- imports -------------------------------------------------------------------------------

    def do_import(self, node: cst.Import, env: Env) -> None:
        self.impure()  # binds names and may run a module: not for a summary
        for alias in node.names:
            path = dotted(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = self._project_module(path, 0, node)
                env.set(alias.asname.name.value, local if local is not None else self._module_value(path))
            else:
                root = path.split(".")[0]
                local = self._project_module(root, 0, node) if path == root else None
                env.set(root, local if local is not None else self._module_value(root))

    def do_import_from(self, node: cst.ImportFrom, env: Env) -> None:
        self.impure()
        level = len(node.relative)
        base = dotted(node.module) if node.module is not None else ""
        if isinstance(node.names, cst.ImportStar):
            module = self._project_module(base or "", level, node)
            if module is not None and module.env is not None:
                names = module.env.vars
                exported = names.get("__all__")
                if isinstance(exported, (list, tuple)) and all(type(n) is str for n in exported):
                    for key in exported:
                        env.set(key, names.get(key, UNKNOWN))
                    return
                # Keys that are no text: `globals()[computed] = ...` left the namespace unknown.
                for key, value in list(names.items()):
                    if type(key) is str and not key.startswith("_"):
                        env.set(key, value)
            return
        for alias in node.names:
            name = dotted(alias.name) or ""
            bound = alias.asname.name.value if (
                alias.asname is not None and isinstance(alias.asname.name, cst.Name)
            ) else name
            submodule = self._project_module(f"{base}.{name}".strip("."), level, node)
            if submodule is not None:
                env.set(bound, submodule)
                continue
            module = self._project_module(base, level, node) if (base or level) else None
            if module is not None:
                value = module.env.lookup(name) if module.env is not None else None
                env.set(bound, UNKNOWN if value is None else value)
            elif level:
                env.set(bound, UNKNOWN)
            else:
                env.set(bound, self._module_value(f"{base}.{name}"))

    def _project_module(self, name: str, level: int, node: cst.CSTNode) -> ProjectModule | None:
        """Import another module of the run: run its code once, like Python's sys.modules."""
        if self.project is None or self.path_ is None:
            return None
        if len(self.importing) >= MAX_INSTALLED_DEPTH:
            return None
        importer = self.current_module or self.path_
        target = self.project.resolve(importer, name, level)
        if target is None:
            return None
        if not self.project.is_installed(target) and len(self.importing) >= MAX_IMPORT_DEPTH:
            # Deeper imports of the project stay unknown: the cost stays linear in its files.
            # An installed library's own imports are followed further: its model code is
            # spread over many modules (tensor2tensor's layers), and it is the same for every
            # file that uses it.
            return None
        if target in self.module_envs:
            return ProjectModule(self.module_envs[target])
        module = self.project.module(target)
        if module is None:
            return ProjectModule(None)
        skeleton = self.project.skeleton(target)
        if skeleton is not None:
            self.skeletons[target] = skeleton  # held for this file: its functions' bodies
        env = Env()
        env.vars["__name__"] = name or target.stem
        self.module_envs[target] = env
        saved = self.current_module
        if saved is None:
            self.anchors.append(node)
        self.current_module = target
        outermost = not self.importing
        if outermost:  # top-level code of imported modules counts against its own budget
            saved_steps, saved_limit, saved_path = self.steps, self.max_steps, self.path
            self.steps, self.max_steps = self.import_steps, MAX_IMPORT_STEPS
        self.importing.append(target)
        try:
            self.exec_block(module.body, env)
        except Terminate:
            pass
        except OutOfBudget:
            if not outermost:
                raise
            # The imports' budget is spent: each module stays as far as it ran.
        finally:
            self.importing.pop()
            self.current_module = saved
            if saved is None:
                self.anchors.pop()
            if outermost:
                self.import_steps = self.steps
                self.steps, self.max_steps, self.path = saved_steps, saved_limit, saved_path
        return ProjectModule(env)

    def _module_value(self, path: str) -> Any:
        if self.hooks.is_api_module(path):
            return TFRef(path)
        return ModuleRef(path)

