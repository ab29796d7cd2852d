"""rope-raise and its public patterns (populateRaiseRotaryEmbeddingPatterns,
then CSE, then populateMergeSiblingRotationsPatterns, in a plain greedy
driver: test-rope-patterns) give the same IR on every graph given, after
canonicalize and cse. Prints one line per graph and the number of rope ops
raised; exits 1 on the first difference (printing both) or when a graph
raised by the pass is not raised by the patterns.

Usage: patterns_match_pass.py ROPE_OPT FILE_OR_DIR...
"""

import os
import subprocess
import sys

PASS = "builtin.module(func.func(rope-raise),canonicalize,cse)"
PATTERNS = ("builtin.module(func.func(test-rope-patterns{raise},cse,test-rope-patterns{merge}),"
            "canonicalize,cse)")


def graphs(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, files in sorted(os.walk(path)):
                for name in sorted(files):
                    if name.endswith(".mlir"):
                        yield os.path.join(root, name)
        else:
            yield path


def run(rope_opt, pipeline, path):
    proc = subprocess.run([rope_opt, "-split-input-file", "-p", pipeline, path],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("%s: %s failed:\n%s" % (path, pipeline, proc.stderr))
    return proc.stdout


def main():
    rope_opt, paths = sys.argv[1], sys.argv[2:]
    total = 0
    for path in graphs(paths):
        by_pass = run(rope_opt, PASS, path)
        by_patterns = run(rope_opt, PATTERNS, path)
        if by_pass != by_patterns:
            print("DIFFERENT: %s\n--- rope-raise:\n%s\n--- patterns:\n%s" % (path, by_pass, by_patterns))
            return 1
        raised = by_pass.count("rope.rotate")
        total += raised
        print("same: %s (%d rope ops)" % (os.path.basename(path), raised))
    print("rope ops raised in all: %d" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
