"""The kernel cache is not trusted blindly: a truncated object, another
key's object (with or without its sidecar) or one that does not load is
built again, and processes building the same kernel at once all succeed.
Each test has its own cache directory: objects are damaged there before
this process loads them (damaging a loaded object would crash it)."""

import hashlib
import json
import multiprocessing
import os
import shutil
import threading

import numpy as np
import pytest

from rope_mlir import RopeKernel, RopeSpec, compiler, reference, tools
from rope_mlir.kernel import emit_module

THIS = RopeSpec(head_dim=64, rotary_dim=64, theta=1e4)
# Same signature, other numbers: loading it for THIS gives no error.
OTHER = RopeSpec(head_dim=64, rotary_dim=64, theta=5e6)


def cached(cache, spec):
    """Builds spec's kernel (as RopeKernel(spec, "thd", 2) does) into `cache`
    without loading it; the object's path."""
    return compiler.compile_shared(emit_module(spec, "thd", 2), cache_dir=cache)


def error_of_kernel(spec):
    """RopeKernel(spec, "thd", 2) from the cache, against the float64 reference."""
    rng = np.random.default_rng(5)
    x = rng.uniform(-2, 2, (33, 2, 64)).astype(np.float32)
    pos = rng.integers(0, 30000, (1, 33))
    y = RopeKernel(spec, "thd", q_heads=2)(x, positions=pos)
    ref = reference.rotate(spec, "thd", x, pos)
    return float(np.max(np.abs(y - ref)) / np.max(np.abs(ref)))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(compiler, "CACHE_DIR", str(tmp_path))
    return str(tmp_path)


def test_truncated_object_is_rebuilt(cache):
    so = cached(cache, THIS)
    os.truncate(so, os.path.getsize(so) // 2)
    assert error_of_kernel(THIS) < 1e-5


def _sidecar(so):
    return so[:-3] + ".json"


@pytest.mark.parametrize("damage", ["object", "object and sidecar", "forged sidecar",
                                    "garbage with forged sidecar"])
def test_another_object_in_its_place_is_rebuilt(cache, damage):
    mine, other = cached(cache, THIS), cached(cache, OTHER)
    if damage.startswith("garbage"):
        with open(mine, "wb") as f:
            f.write(b"\x7fELF" + bytes(range(256)) * 40)
    else:
        shutil.copyfile(other, mine)
    if damage == "object and sidecar":
        shutil.copyfile(_sidecar(other), _sidecar(mine))
    elif damage.endswith("forged sidecar"):
        # A sidecar that matches the file: only the key inside the object,
        # checked after loading, or dlopen's failure tells.
        with open(_sidecar(mine)) as f:
            key = json.load(f)["key"]
        with open(mine, "rb") as f:
            data = f.read()
        with open(_sidecar(mine), "w") as f:
            json.dump({"key": key, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}, f)
    assert error_of_kernel(THIS) < 1e-5


def test_builders_in_lockstep_have_their_own_intermediates(cache, monkeypatch):
    # Two builds of one key in this process, every tool run (rope-opt,
    # mlir-translate, clang) ending together: had they one name for an
    # intermediate, one would overwrite or move away the other's.
    barrier = threading.Barrier(2, timeout=120)
    run = tools.run

    def in_lockstep(*args, **kwargs):
        out = run(*args, **kwargs)
        barrier.wait()
        return out

    monkeypatch.setattr(tools, "run", in_lockstep)
    module = emit_module(THIS, "thd", 2)
    built = [None, None]

    def build(i):
        try:
            built[i] = compiler.compile_shared(module, cache_dir=cache)
        except BaseException as e:  # reported below
            barrier.abort()
            built[i] = e

    threads = [threading.Thread(target=build, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(b, str) for b in built), built
    assert not [n for n in os.listdir(cache) if ".tmp" in n]
    monkeypatch.setattr(tools, "run", run)
    assert error_of_kernel(THIS) < 1e-5


THETAS = (1e4, 2e4, 5e5, 1e6, 5e6, 1e7)


def _build_in_lockstep(cache, barrier, results):
    """Builds and runs THETAS' kernels, starting each with the other process."""
    try:
        compiler.CACHE_DIR = cache
        errors = []
        for theta in THETAS:
            barrier.wait(timeout=120)
            errors.append(error_of_kernel(RopeSpec(head_dim=64, rotary_dim=64, theta=theta)))
        results.put(max(errors))
    except BaseException as e:  # reported to the parent, which fails
        barrier.abort()
        results.put(repr(e))


def test_processes_building_the_same_kernels_at_once(cache):
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_build_in_lockstep, args=(cache, barrier, results))
             for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    outcomes = [results.get(timeout=5) for _ in procs]
    assert [p.exitcode for p in procs] == [0, 0]
    assert all(isinstance(o, float) and o < 1e-5 for o in outcomes), outcomes
    assert not [n for n in os.listdir(cache) if ".tmp" in n]
