"""Where rope_mlir finds rope-opt (tools.rope_opt): $ROPE_OPT first, then
the package's own bin/rope-opt (a pip install's copy, a cmake --install
link), then the source tree's build, then PATH; a clear error when none.
Each case imports a copy of the package from a temporary directory in a
fresh interpreter, so the source tree's build is out of its reach."""

import os
import shutil
import subprocess
import sys

import pytest

import rope_mlir
from rope_mlir import tools

PROBE = "from rope_mlir import tools; print(tools.rope_opt())"


@pytest.fixture
def package_copy(tmp_path):
    """A copy of the package under tmp_path/site, without a bin/."""
    site = tmp_path / "site"
    shutil.copytree(os.path.dirname(rope_mlir.__file__), site / "rope_mlir",
                    ignore=shutil.ignore_patterns("__pycache__", "bin"))
    return site


def probe(site, **env):
    clean = {k: v for k, v in os.environ.items() if k != "ROPE_OPT"}
    clean.update({"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)})
    clean.update(env)
    return subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True)


def real_rope_opt():
    return os.path.realpath(tools.rope_opt())


def test_package_bin_is_used(package_copy):
    bin_dir = package_copy / "rope_mlir" / "bin"
    bin_dir.mkdir()
    (bin_dir / "rope-opt").symlink_to(real_rope_opt())
    result = probe(package_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(bin_dir / "rope-opt")


def test_rope_opt_env_wins(package_copy, tmp_path):
    bin_dir = package_copy / "rope_mlir" / "bin"
    bin_dir.mkdir()
    (bin_dir / "rope-opt").symlink_to(real_rope_opt())
    chosen = tmp_path / "chosen-rope-opt"
    chosen.symlink_to(real_rope_opt())
    result = probe(package_copy, ROPE_OPT=str(chosen))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(chosen)


def test_path_is_last(package_copy, tmp_path):
    on_path = tmp_path / "path-bin"
    on_path.mkdir()
    (on_path / "rope-opt").symlink_to(real_rope_opt())
    result = probe(package_copy, PATH="%s:/usr/bin:/bin" % on_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(on_path / "rope-opt")


def test_none_found_names_what_was_tried(package_copy):
    result = probe(package_copy)
    assert result.returncode != 0
    assert "rope-opt not found (tried the package's %s" % (package_copy / "rope_mlir" / "bin" / "rope-opt") \
        in result.stderr
    assert "or set ROPE_OPT" in result.stderr
