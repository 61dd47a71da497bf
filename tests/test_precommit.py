"""The real pre-commit hook: `pre-commit try-repo <this checkout> scopelint --files ...`, and
the README's `.pre-commit-config.yaml` snippet, exactly as written, with `pre-commit run`.

pre-commit installs the hook repository into its own virtualenv (`pip install .`), exactly as a
user's `.pre-commit-config.yaml` would, so this checks `.pre-commit-hooks.yaml`, the packaging
and the entry point together.

try-repo on a checkout with uncommitted changes only picks up tracked files, so the test first
snapshots the working tree (tracked and untracked, minus ignored files) into a fresh repository
with one commit. If pre-commit is not installed the test fails: it is a dependency of the test
extra, and a skipped hook test would hide a broken hook.

The README snippet names the public repository and a release tag. The test takes the snippet
verbatim from the README, tags the snapshot with that tag, and points git at the snapshot for
the public URL (`url.<snapshot>.insteadOf`, in git configuration passed by environment), so the
file pre-commit reads is byte for byte the README's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scopelint import __version__

ROOT = Path(__file__).resolve().parent.parent

BUGGY = (
    "import tensorflow.compat.v1 as tf\n"
    "\n"
    "def tower(x):\n"
    "    w = tf.get_variable('w', [3, 3])\n"
    "    return tf.matmul(x, w)\n"
    "\n"
    "a = tower(tf.zeros([3, 3]))\n"
    "b = tower(tf.zeros([3, 3]))\n"
)
CLEAN = (
    "import tensorflow.compat.v1 as tf\n"
    "\n"
    "with tf.variable_scope('tower'):\n"
    "    w = tf.get_variable('w', [3, 3])\n"
    "with tf.variable_scope('tower', reuse=True):\n"
    "    w_again = tf.get_variable('w', [3, 3])\n"
)


def git(cwd: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def snapshot(destination: Path) -> Path:
    """The working tree as one commit in a new repository."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "snapshot")
    return destination


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    hook_repo = snapshot(tmp_path_factory.mktemp("hook-repo"))
    project = tmp_path_factory.mktemp("project")
    (project / "buggy.py").write_text(BUGGY)
    (project / "clean.py").write_text(CLEAN)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "project")
    return hook_repo, project


def try_repo(hook_repo: Path, project: Path, *files: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(project.parent / "pre-commit-home")
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            "scopelint",
            "--files",
            *files,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_fails_on_the_buggy_file(repos):
    hook_repo, project = repos
    proc = try_repo(hook_repo, project, "buggy.py")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "scopelint" in output and "Failed" in output, output
    assert "buggy.py:4:9: SL001 [duplicate-variable] Variable `w` already exists" in output, output


def test_hook_passes_on_the_clean_file(repos):
    hook_repo, project = repos
    proc = try_repo(hook_repo, project, "clean.py")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Passed" in output, output


def test_manifest():
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "scopelint"
    assert hook["name"] == "scopelint"
    assert hook["entry"] == "scopelint --force-exclude"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["python", "pyi"]
    assert hook["require_serial"] is True


# -- the README's snippet ----------------------------------------------------------------------


def readme_snippet() -> str:
    """The yaml block of the README's pre-commit section, verbatim."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit\n", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match, "the README's pre-commit section has no yaml block"
    return match.group(1)


def test_readme_snippet_pins_the_current_release_tag():
    import yaml

    (repo,) = yaml.safe_load(readme_snippet())["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert [hook["id"] for hook in repo["hooks"]] == ["scopelint"]


def test_readme_snippet_runs_with_real_pre_commit(repos, tmp_path_factory):
    import yaml

    hook_repo, project = repos
    snippet = readme_snippet()
    (repo,) = yaml.safe_load(snippet)["repos"]
    git(hook_repo, "tag", "-f", repo["rev"])  # the release tag, in the snapshot only
    user = tmp_path_factory.mktemp("user-project")
    (user / "buggy.py").write_text(BUGGY)
    (user / "clean.py").write_text(CLEAN)
    (user / ".pre-commit-config.yaml").write_text(snippet)
    git(user, "init", "-q")
    git(user, "add", "-A")
    git(user, "commit", "-q", "-m", "user project")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    # Git configuration from the environment (the one kind pre-commit passes on to git):
    # fetch the public URL from the snapshot instead.
    env.update(
        PRE_COMMIT_HOME=str(user.parent / "pre-commit-home-snippet"),
        GIT_CONFIG_COUNT="2",
        GIT_CONFIG_KEY_0=f"url.{hook_repo.as_uri()}.insteadOf",
        GIT_CONFIG_VALUE_0=repo["repo"],
        GIT_CONFIG_KEY_1="protocol.file.allow",
        GIT_CONFIG_VALUE_1="always",
        NO_COLOR="1",
    )

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", *args],
            cwd=user,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    failing = run("--files", "buggy.py")
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "buggy.py:4:9: SL001 [duplicate-variable] Variable `w` already exists" in output
    passing = run("--files", "clean.py")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
