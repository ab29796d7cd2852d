#!/usr/bin/env python3
"""Reads lowered MLIR on stdin and handles the PTX that gpu-module-to-binary
(format isa) embedded in its gpu.binary ops (MLIR escapes bytes as \\XX).

  extract_ptx.py              print the first kernel's PTX
  extract_ptx.py --ptxas ARCH run ptxas -arch=ARCH on every kernel's PTX
"""

import os
import re
import subprocess
import sys
import tempfile


def all_ptx(text):
    objs = re.findall(r'#gpu\.object<#nvvm\.target[^>]*>,(?: properties = \{[^}]*\},)?(?: assembly =)? "(.*?)">', text, re.S)
    return [re.sub(r"\\([0-9A-Fa-f]{2})", lambda g: chr(int(g.group(1), 16)), raw)
            .replace('\\"', '"').replace("\\\\", "\\") for raw in objs]


def main():
    ptx = all_ptx(sys.stdin.read())
    if not ptx:
        sys.exit("extract_ptx: no gpu.binary with an nvvm object")
    if len(sys.argv) == 3 and sys.argv[1] == "--ptxas":
        arch = sys.argv[2]
        with tempfile.TemporaryDirectory() as tmp:
            for i, text in enumerate(ptx):
                path = os.path.join(tmp, "k%d.ptx" % i)
                with open(path, "w") as f:
                    f.write(text)
                run = subprocess.run(["ptxas", "-arch=" + arch, path, "-o", path + ".cubin"],
                                     capture_output=True, text=True)
                if run.returncode:
                    sys.exit("ptxas -arch=%s rejected kernel %d:\n%s" % (arch, i, run.stderr))
        print("ptxas %s: %d kernels accepted" % (arch, len(ptx)))
        return
    sys.stdout.write(ptx[0])


if __name__ == "__main__":
    main()
