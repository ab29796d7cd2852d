"""The package carries the rope-opt it compiles with (issue 20 item 5): the
wheel gets a copy as rope_mlir/bin/rope-opt, so that `pip install ./python`
works without ROPE_OPT. The copy is $ROPE_OPT as set at install time, else
the source tree's build/bin/rope-opt; with neither, the package is built
without one and rope_mlir.tools looks for rope-opt at run time ($ROPE_OPT,
PATH). rope-opt links LLVM 22's shared libraries by its RUNPATH, which the
package needs anyway (clang, mlir-translate)."""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithRopeOpt(build_py):
    def run(self):
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        source = os.environ.get("ROPE_OPT") or os.path.join(here, "..", "build", "bin", "rope-opt")
        if not os.path.isfile(source):
            self.warn("rope-opt not found (%s): the package will look for it at run time ($ROPE_OPT, PATH)"
                      % source)
            return
        target = os.path.join(self.build_lib, "rope_mlir", "bin", "rope-opt")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target)


setup(cmdclass={"build_py": BuildPyWithRopeOpt})
