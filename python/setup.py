"""The package carries the native parts it needs (issue 20 item 5), so that
`pip install ./python` works without ROPE_OPT:
- rope_mlir/bin/rope-opt, the compiler: $ROPE_OPT as set at install time,
  else the source tree's build/bin/rope-opt;
- rope_mlir/lib/librope_cuda_runtime.so, which GPU kernels link: the one
  beside that rope-opt (<build>/lib), where the CUDA toolkit was found.
With no rope-opt, the package is built without them and looks for them at
run time (rope_mlir.tools, rope_mlir.cuda). rope-opt links LLVM 22's shared
libraries by its RUNPATH, which the package needs anyway (clang,
mlir-translate)."""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithNativeParts(build_py):
    def run(self):
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        rope_opt = os.environ.get("ROPE_OPT") or os.path.join(here, "..", "build", "bin", "rope-opt")
        if not os.path.isfile(rope_opt):
            self.warn("rope-opt not found (%s): the package will look for it at run time ($ROPE_OPT, PATH)"
                      % rope_opt)
            return
        runtime = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(rope_opt))), "lib",
                               "librope_cuda_runtime.so")
        for source, part in ((rope_opt, "bin"), (runtime, "lib")):
            if os.path.isfile(source):
                target = os.path.join(self.build_lib, "rope_mlir", part, os.path.basename(source))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(source, target)


setup(cmdclass={"build_py": BuildPyWithNativeParts})
