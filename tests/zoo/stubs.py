"""Stand-ins for third-party modules the zoo's model packages import but that are not installed.

The zoo's TensorFlow process calls ``install()`` after the TF shims: each stand-in is put into
``sys.modules`` only when the real module cannot be found, so an installed package always wins.
The stand-ins carry just what the packages touch while being imported or while the builders
build their graphs (module attributes read at import time, base classes, decorators, functions
called on import); a missing attribute raises ``AttributeError`` and a stand-in class refuses to
be made, so a builder that needs more fails loudly instead of building a different graph. Also
here: the few names newer Pythons removed that the packages still use (``collections.Mapping``,
``inspect.getargspec``). scopelint never reads this file.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import types


def _missing(name: str) -> bool:
    if name in sys.modules:
        return False
    try:
        return importlib.util.find_spec(name) is None
    except (ImportError, ValueError):  # its parent is missing, or no package (a shim module)
        return True


def _module(name: str, **attrs: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__path__ = []  # a package, so that submodules can be stood in for too
    module.__dict__.update(attrs)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], child, module)
    return module


def _refuse(qualname: str):
    def refuse(self, *args, **kwargs):
        raise NotImplementedError(f"{qualname} is a stand-in of the zoo: the builders never use it")

    return refuse


def _unused(qualname: str) -> type:
    """A class the packages only name at import time (a base class, an isinstance target)."""
    return type(qualname.rpartition(".")[2], (), {"__init__": _refuse(qualname),
                                                 "__module__": qualname})


class _LenientFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Stands in for a whole package: every submodule exists, every attribute is an unused class.

    For libraries of which the packages import many names only to use them on data the builders
    never feed (Magenta's pipelines and ``note_seq``)."""

    def __init__(self, root: str) -> None:
        self.root = root

    def find_spec(self, fullname, path, target=None):
        if fullname == self.root or fullname.startswith(self.root + "."):
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda attr: _lenient_attr(spec.name, attr)
        return module

    def exec_module(self, module):
        pass


class _LenientType(type):
    """Its classes answer every attribute with another such class (``music_pb2.NoteSequence.X``)."""

    def __getattr__(cls, attr):
        return _lenient_attr(cls.__module__, attr)


def _lenient_attr(owner: str, attr: str):
    if attr.startswith("__"):
        raise AttributeError(attr)
    qualname = f"{owner}.{attr}"
    return _LenientType(attr, (), {"__init__": _refuse(qualname), "__module__": qualname})


def _lenient(root: str, **members: dict) -> None:
    """Stands in for package ``root``; ``members`` maps a submodule (``""`` for the root) to
    attributes it really needs (functions the packages call on import)."""
    sys.meta_path.append(_LenientFinder(root))
    for submodule, attrs in members.items():
        module = importlib.import_module(f"{root}.{submodule}" if submodule else root)
        module.__dict__.update(attrs)


def _lenient_modules(*names: str) -> None:
    """Lenient modules put straight into ``sys.modules``, for names under a package that is no
    real package (the shim's ``tensorflow.contrib``), where no finder is asked."""
    for name in names:
        module = _LenientFinder(name).create_module(importlib.util.spec_from_loader(name, None))
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)


_STUBS: dict[str, tuple[callable, callable]] = {}


def stub(name: str, needed=None):
    """Registers a function that installs a stand-in for module ``name``: when ``needed()`` says
    so, by default when the module cannot be found."""

    def register(install_fn):
        _STUBS[name] = (install_fn, needed or (lambda: _missing(name)))
        return install_fn

    return register


def install() -> None:
    for install_fn, needed in _STUBS.values():
        if needed():
            install_fn()


@stub("tensorflow_probability")
def _tensorflow_probability() -> None:
    # Imported at the top of T2T's layers, Sonnet, Magenta's NADE and MusicVAE, TF-GAN's examples
    # and TRFL; their graphs here use no distribution. Sonnet checks the version on import.
    tfp = _module("tensorflow_probability", __version__="0.8.0")
    distributions = _module(
        "tensorflow_probability.distributions",
        FULLY_REPARAMETERIZED="FULLY_REPARAMETERIZED",
        NOT_REPARAMETERIZED="NOT_REPARAMETERIZED",
    )
    for name in ("Distribution", "Normal", "Bernoulli", "Categorical", "MultivariateNormalDiag"):
        setattr(distributions, name, _unused(f"tensorflow_probability.distributions.{name}"))
    tfp.distributions = distributions


@stub("note_seq")
def _note_seq() -> None:
    # Magenta's package __init__ imports its data pipelines, which import note_seq's music types.
    _lenient("note_seq")


@stub("tree")
def _tree() -> None:
    # dm-tree (a compiled extension): TRFL flattens its nests of logits and actions with it.
    # TF's own nest has the same functions with the same semantics.
    from tensorflow.python.util import nest

    _module(
        "tree",
        flatten=nest.flatten,
        flatten_up_to=nest.flatten_up_to,
        assert_same_structure=nest.assert_same_structure,
        map_structure=nest.map_structure,
        map_structure_up_to=nest.map_structure_up_to,
        pack_sequence_as=nest.pack_sequence_as,
        is_nested=nest.is_nested,
    )


@stub("semantic_version")
def _semantic_version() -> None:
    # Sonnet 1 checks the installed TensorFlow Probability's version with it on import.
    class Version:
        def __init__(self, text: str) -> None:
            self.parts = tuple(int(p) for p in text.split("+")[0].split("-")[0].split("."))

    class Spec:
        def __init__(self, text: str) -> None:
            self.minimum = Version(text.lstrip(">="))

        def match(self, version: Version) -> bool:
            return version.parts >= self.minimum.parts

    _module("semantic_version", Version=Version, Spec=Spec)


@stub("contextlib2")
def _contextlib2() -> None:
    # The backport of contextlib Sonnet 1 enters its module scopes with; the standard library's
    # ExitStack is the same class.
    import contextlib

    _module("contextlib2", ExitStack=contextlib.ExitStack)


def _protobuf_refuses_old_generated_code() -> bool:
    from google.protobuf.internal import api_implementation

    return api_implementation.Type() != "python"


@stub("sonnet.protos.module_pb2", needed=_protobuf_refuses_old_generated_code)
def _sonnet_module_pb2() -> None:
    # Sonnet 1.36 ships protobuf code generated before protoc 3.19, which today's protobuf
    # runtime refuses to load. Sonnet uses the messages only to export module information with a
    # meta graph, which no builder does.
    sys.modules["sonnet.protos.module_pb2"] = types.SimpleNamespace(
        SonnetModule=_unused("sonnet.protos.module_pb2.SonnetModule"),
        NestedData=_unused("sonnet.protos.module_pb2.NestedData"),
    )


def _collections_lacks_abc_aliases() -> bool:
    import collections

    return not hasattr(collections, "Mapping")


@stub("collections", needed=_collections_lacks_abc_aliases)
def _collections_abc_aliases() -> None:
    # Python 3.10 removed the aliases of collections.abc's classes from collections; Sonnet 1
    # tests `isinstance(x, collections.Mapping)` and `collections.Sequence` while building.
    import collections
    import collections.abc

    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


@stub("PIL")
def _pil() -> None:
    # Pillow: TFLearn's data utilities import PIL.Image at the top to load image files.
    _lenient("PIL")


@stub("tensorflow_datasets")
def _tensorflow_datasets() -> None:
    # TF-GAN's CycleGAN example imports its data provider, which reads images through TFDS; the
    # builder feeds placeholders.
    _lenient("tensorflow_datasets")


@stub("tensorflow_hub")
def _tensorflow_hub() -> None:
    # TF-GAN's evaluation imports it to load the Inception network for its metrics, from the
    # network; no builder evaluates.
    _module("tensorflow_hub")


def _inspect_lacks_getargspec() -> bool:
    import inspect

    return not hasattr(inspect, "getargspec")


@stub("inspect", needed=_inspect_lacks_getargspec)
def _inspect_getargspec() -> None:
    # Python 3.11 removed inspect.getargspec; TF-GAN's gan_train_ops reads the keywords of the
    # functions it is given with it. Python 3.10's, over getfullargspec.
    import collections
    import inspect

    arg_spec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")

    def getargspec(func):
        spec = inspect.getfullargspec(func)
        if spec.kwonlyargs or spec.annotations:
            raise ValueError("Function has keyword-only parameters or annotations, use "
                             "inspect.signature() API which can support them")
        return arg_spec(spec.args, spec.varargs, spec.varkw, spec.defaults)

    inspect.getargspec = getargspec


@stub("gym")
def _gym() -> None:
    # OpenAI Gym: T2T's model registry imports its RL models and environments, which subclass
    # gym.Env and gym.Wrapper, and register and make an environment on import (T2T's tic-tac-toe,
    # whose made environment it drops); no builder steps one.
    _lenient("gym", **{"": {"make": lambda *args, **kwargs: None},
                       "envs": {"register": lambda *args, **kwargs: None}})


@stub("tensorboard")
def _tensorboard() -> None:
    # T2T's metrics hook reads event files with TensorBoard's event accumulator.
    _lenient("tensorboard")


@stub("mesh_tensorflow")
def _mesh_tensorflow() -> None:
    # T2T's model registry imports its Mesh-TensorFlow models, which the builders do not build.
    _lenient("mesh_tensorflow")


@stub("tensorflow.contrib.tpu")
def _contrib_tpu() -> None:
    # T2T's Mesh-TensorFlow model base imports contrib's TPU estimator on import; the builders
    # use no TPU.
    _lenient_modules("tensorflow.contrib.tpu", "tensorflow.contrib.tpu.python",
                     "tensorflow.contrib.tpu.python.tpu",
                     "tensorflow.contrib.tpu.python.tpu.tpu_estimator")
