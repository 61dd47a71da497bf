"""The model packages the zoo reads, each pinned to one release on the package registry.

``PINS`` maps a zoo project name to one pip requirement with an exact version. TF-Slim is not
here: the test extra installs it, and its ``nets`` are read from the installed package.
``DEPENDENCIES`` are packages a model package imports that neither TensorFlow nor
the test extra brings; they are fetched the same way. ``requirements()`` is both, sorted.
"""

from __future__ import annotations

PINS: dict[str, str] = {
    "bert": "bert-tensorflow==1.0.4",
    "gpt2": "gpt-2-simple==0.8.1",
    "tensor2tensor": "tensor2tensor==1.15.7",
    "magenta": "magenta==2.1.4",
    "sonnet": "dm-sonnet==1.36",
    "tflearn": "tflearn==0.5.0",
    "tfgan": "tensorflow-gan==2.1.0",
    "trfl": "trfl==1.2.0",
}

DEPENDENCIES: dict[str, str] = {
    # gpt-2-simple's package __init__ imports all three
    "tqdm": "tqdm==4.67.1",
    "toposort": "toposort==1.10",
    "regex": "regex==2024.11.6",
}


def requirements() -> list[str]:
    return sorted({*PINS.values(), *DEPENDENCIES.values()})
