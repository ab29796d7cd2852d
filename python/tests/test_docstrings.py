"""Every public name of the package has a docstring (issue 20 item 5):
modules, their public functions and classes, and the classes' public
methods and properties, as help() shows them."""

import importlib
import inspect
import pkgutil

import rope_mlir


def public_names():
    for info in pkgutil.iter_modules(rope_mlir.__path__):
        module = importlib.import_module("rope_mlir." + info.name)
        yield module.__name__, module
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield "%s.%s" % (module.__name__, name), obj
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") and attr != "__call__":
                        continue
                    if inspect.isfunction(member) or isinstance(member, property):
                        yield "%s.%s.%s" % (module.__name__, name, attr), member


def test_every_public_name_has_a_docstring():
    names = list(public_names())
    assert any(n == "rope_mlir.kernel.RopeKernel.__call__" for n, _ in names)
    # A dataclass without a docstring gets its signature as __doc__.
    missing = [n for n, obj in names
               if not (obj.__doc__ or "").strip() or obj.__doc__.startswith(getattr(obj, "__name__", "") + "(")]
    assert not missing, "no docstring: %s" % ", ".join(missing)
