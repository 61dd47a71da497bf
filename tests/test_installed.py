"""Installed packages' code is followed like the project's own (``scopelint/resolve/installed.py``):
found on the Python's search path or `extra-paths`, read only when it builds TF graphs, never
the modelled API, switched off by `follow-installed = false` or `--no-follow-installed`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scopelint.resolve.installed import DEFAULT_EXCLUDE, Installed, InstalledOptions, search_path
from scopelint.resolve.tfapi import canonical, is_tf_module
from tests.test_cli import cli, write  # noqa: F401 (cli is a fixture)

ROOT = Path(__file__).resolve().parent.parent

# A model library as a package installs it: its function makes `net/w` each time it is called.
LIBRARY = {
    "site/modellib/__init__.py": "",
    "site/modellib/nets.py": (
        "import tensorflow.compat.v1 as tf\n"
        "from modellib import helpers\n"
        "\n"
        "def build(x):\n"
        "    with tf.variable_scope('net'):\n"
        "        return tf.get_variable('w', [helpers.width(), 4])\n"
    ),
    # Imports no TF itself, but belongs to a package that does: followed too.
    "site/modellib/helpers.py": "def width():\n    return 3\n",
    # A package that builds no graph: never read.
    "site/plainlib/__init__.py": "def build(x):\n    return x\n",
}
USER = (
    "import tensorflow.compat.v1 as tf\n"
    "from modellib import nets\n"
    "\n"
    "nets.build(1)\n"
    "nets.build(2)\n"
)
CONFIG = '[tool.scopelint]\nextra-paths = ["site"]\n'


def project(tmp_path: Path, config: str = CONFIG) -> None:
    write(tmp_path, {**LIBRARY, "proj/pyproject.toml": config, "proj/model.py": USER})
    (tmp_path / "proj" / "site").symlink_to(tmp_path / "site")


def test_a_duplicate_inside_an_installed_package_is_reported_at_the_call(cli, tmp_path):
    project(tmp_path)
    code, out, _ = cli("--output-format", "concise", "proj/model.py")
    assert code == 1
    assert out.splitlines()[0].startswith("proj/model.py:5:1: SL001")
    assert "`net/w`" in out


def test_variables_of_installed_code_are_predicted_with_their_shapes(cli, tmp_path):
    project(tmp_path)
    code, out, _ = cli("--show-variables", "--output-format", "json", "proj/model.py")
    assert code == 0
    rows = [(e["line"], e["name"], e["shape"], e["error"]) for e in json.loads(out)]
    assert rows == [(4, "net/w", [3, 4], None), (5, "net/w", None, "SL001")]


def test_following_can_be_switched_off(cli, tmp_path):
    project(tmp_path)
    assert cli("--no-follow-installed", "proj/model.py")[0] == 0
    project(tmp_path / "b", CONFIG + "follow-installed = false\n")
    assert cli("b/proj/model.py")[0] == 0


def test_an_excluded_package_is_not_followed(cli, tmp_path):
    project(tmp_path, CONFIG + 'exclude-installed = ["modellib"]\n')
    assert cli("proj/model.py")[0] == 0


def test_show_settings_says_where_packages_are_looked_up(cli, tmp_path):
    project(tmp_path)
    code, out, _ = cli("--show-settings", "proj/model.py")
    assert code == 0
    assert "follow-installed = true  # default" in out
    assert f'extra-paths = ["{tmp_path / "proj" / "site"}"]' in out
    searched = out.split("Installed packages are looked up in: ")[1]
    assert searched.startswith(f'["{os.path.realpath(tmp_path / "site")}"')


def test_only_packages_that_build_graphs_are_followed(tmp_path):
    write(tmp_path, LIBRARY)
    site = str(tmp_path / "site")
    installed = Installed([site])
    assert installed.find("modellib.nets") == f"{site}/modellib/nets.py"
    assert installed.find("modellib.helpers") == f"{site}/modellib/helpers.py"
    assert installed.find("plainlib") is None
    assert installed.find("missing") is None
    assert Installed([site], exclude=["modellib"]).find("modellib.nets") is None


def test_the_modelled_api_is_never_followed_but_slim_nets_are():
    assert is_tf_module("tensorflow.python.ops.variable_scope")
    assert is_tf_module("tf_slim.layers")
    assert not is_tf_module("tf_slim.nets.vgg")
    assert is_tf_module("tf_slim.netsx")  # a sibling of nets is still the API
    installed = Installed(search_path(InstalledOptions()))
    assert installed.find("tensorflow") is None
    assert installed.find("tf_slim.layers.layers") is None
    assert installed.find("tf_slim.nets.vgg").endswith(os.path.join("tf_slim", "nets", "vgg.py"))
    assert installed.find("keras") is None and "keras" in DEFAULT_EXCLUDE


def test_search_path_leaves_out_the_standard_library():
    import sysconfig

    searched = search_path(InstalledOptions())
    assert os.path.realpath(sysconfig.get_paths()["stdlib"]) not in searched
    assert os.path.realpath(sysconfig.get_paths()["purelib"]) in searched
    assert search_path(InstalledOptions(follow=False)) == ()


def test_tf_internal_modules_as_libraries_import_them():
    assert canonical("tensorflow.python.ops.nn_ops.relu") == "nn.relu"
    assert canonical("tensorflow.python.ops.array_ops.squeeze") == "squeeze"
    assert canonical("tensorflow.python.ops.variable_scope.variable_scope") == "variable_scope"
    assert canonical("tf_slim.ops.arg_scope.arg_scope") == "slim.arg_scope"
    assert canonical("tf_slim.layers.regularizers.l2_regularizer") == "slim.l2_regularizer"


def test_slim_nets_are_read_from_the_installed_package(tmp_path):
    """TF-Slim's own VGG: the fully connected head's variables, named and shaped as TF does."""
    write(tmp_path, {"vgg_user.py": (
        "import tensorflow.compat.v1 as tf\n"
        "from tf_slim.nets import vgg\n"
        "images = tf.placeholder(tf.float32, [2, 224, 224, 3])\n"
        "logits, _ = vgg.vgg_16(images, num_classes=10)\n"
    )})
    run = subprocess.run(
        [sys.executable, "-m", "scopelint", "--show-variables", "--output-format", "json",
         "vgg_user.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    names = {e["name"]: e["shape"] for e in json.loads(run.stdout)}
    assert names["vgg_16/fc8/biases"] == [10]
    assert names["vgg_16/fc8/weights"][-1] == 10
    off = subprocess.run(
        [sys.executable, "-m", "scopelint", "--show-variables", "--output-format", "json",
         "--no-follow-installed", "vgg_user.py"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert json.loads(off.stdout) == []


def test_imports_within_an_installed_package_are_followed_deeper_than_the_projects(cli, tmp_path):
    """A library's model code spans modules importing each other (layer helpers three or four
    modules below the model): followed; the same chain inside the project stays unknown
    below two imports, as before."""
    chain = {
        "a.py": "from {pkg} import b\n\ndef build():\n    return b.build()\n",
        "b.py": "from {pkg} import c\n\ndef build():\n    return c.build()\n",
        "c.py": "from {pkg} import d\n\ndef build():\n    return d.build()\n",
        "d.py": (
            "import tensorflow.compat.v1 as tf\n\n"
            "def build():\n    return tf.get_variable('deep', [2])\n"
        ),
    }
    user = "import tensorflow.compat.v1 as tf\nfrom {pkg} import a\n\na.build()\na.build()\n"
    files = {"proj/pyproject.toml": CONFIG, "proj/model.py": user.format(pkg="deeplib"),
             "site/deeplib/__init__.py": "import tensorflow\n",
             "proj/local.py": user.format(pkg="ownpkg"), "proj/ownpkg/__init__.py": ""}
    for name, text in chain.items():
        files[f"site/deeplib/{name}"] = text.format(pkg="deeplib")
        files[f"proj/ownpkg/{name}"] = text.format(pkg="ownpkg")
    write(tmp_path, files)
    (tmp_path / "proj" / "site").symlink_to(tmp_path / "site")
    code, out, _ = cli("--output-format", "concise", "--no-cache", "proj/model.py")
    assert code == 1 and out.startswith("proj/model.py:5:1: SL001"), out
    assert cli("--no-cache", "proj/local.py")[0] == 0
