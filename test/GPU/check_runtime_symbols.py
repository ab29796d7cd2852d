#!/usr/bin/env python3
"""Every runtime symbol the host shared object needs (the mgpu* ABI of MLIR's
GPU lowering, and ropeCuda* entries such as the host guard's
ropeCudaReportInvalidArgument) is exported by our runtime."""

import subprocess
import sys

kernels, runtime = sys.argv[1], sys.argv[2]


def symbols(path, flag):
    out = subprocess.run(["nm", "-D", flag, path], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


needed = {s for s in symbols(kernels, "--undefined-only") if s.startswith(("mgpu", "ropeCuda"))}
missing = needed - symbols(runtime, "--defined-only")
print("needs %s" % " ".join(sorted(needed)))
if missing or not needed:
    sys.exit("missing from the runtime: %s" % " ".join(sorted(missing)))
print("runtime provides all of them")
