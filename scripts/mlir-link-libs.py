#!/usr/bin/env python3
"""Prints the MLIR component libraries that object files or archives use.

Usage: scripts/mlir-link-libs.py [--mlir-lib-dir DIR] FILE...

For each FILE (an archive of ours, or a tool's object file): the libMLIR*.a
archives of DIR (default /usr/lib/llvm-22/lib) that define a symbol FILE
leaves undefined, as CMake target names. Symbols that another FILE given
defines are ours, not MLIR's. The result is what the LINK_LIBS lists of
lib/Rope/*/CMakeLists.txt (ROPE_LINK_MLIR_DYLIB=OFF) name: a library lists
the MLIR libraries it calls directly; MLIR's targets bring their own.
"""
import argparse
import glob
import os
import subprocess

# nm's kinds of a definition another object can bind to: text, data, bss,
# read-only. Weak and unique definitions (inline functions, templates) are in
# every object that uses them, so they say nothing about which archive to link.
STRONG = set("TDBRG")


def nm(path, *flags):
    """(kind, symbol) for each external symbol of path's objects."""
    out = subprocess.run(["nm", "-g", *flags, path], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        # "[address] kind symbol"; an archive's member names end with ":".
        fields = line.split()
        if len(fields) >= 2:
            yield fields[-2], fields[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mlir-lib-dir", default="/usr/lib/llvm-22/lib")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    defined_by = {}
    for archive in sorted(glob.glob(os.path.join(args.mlir_lib_dir, "libMLIR*.a"))):
        target = os.path.basename(archive)[len("lib"):-len(".a")]
        for kind, symbol in nm(archive, "--defined-only"):
            if kind in STRONG:
                defined_by.setdefault(symbol, target)

    ours = {symbol for path in args.files for kind, symbol in nm(path, "--defined-only")}
    for path in args.files:
        used = {defined_by[symbol] for kind, symbol in nm(path, "--undefined-only")
                if symbol not in ours and symbol in defined_by}
        print(f"{path}:")
        for target in sorted(used):
            print(f"  {target}")


if __name__ == "__main__":
    main()
