#!/usr/bin/env python3
"""Dialect-aware mutation fuzzer for rope-opt (issue #17, deliverable 3).

Mutates MLIR seeds (every .mlir under test/ and examples/, split at
`// -----`, plus rope ops drawn by a small generator) with mutations that know
the rope dialect (edge integers and floats in its attributes, shapes, element
types, enum keywords, axis maps, operand lists, scaling attributes) and plain
token/line mutations, then runs each mutant through a set of rope-opt
invocations: parse + print (with a textual and a generic round trip),
--canonicalize, rope-raise, rope-decompose, the CPU pipeline (serial and
threads=true), the GPU pipeline (format=isa) and one pipeline with random
options. It reports

  crash          a signal, a sanitizer report, `LLVM ERROR`, a stack dump
  hang           no exit within --timeout seconds (stack taken with SIGABRT)
  memory         over the memory guard (RLIMIT_AS, or ASan's allocation and
                 RSS limits on a sanitized binary)
  leak           LeakSanitizer
  exit0-error    exit status 0 although an `error:` diagnostic was printed
  silent-failure non-zero exit without any diagnostic and without a crash
  round-trip     printed IR that does not parse back, or prints differently
                 (custom form, and through --mlir-print-op-generic)
  verifier-gap   a valid input, a pass that succeeded, and IR that fails the
                 verifier after it (detected by rerunning with
                 --verify-each=false: a pass failure fails the same way)

Each finding is deduplicated by a signature (kind + first stack frame, or
message) and classified by its stack: `ours` (a frame of this project),
`upstream-known` (see KNOWN_UPSTREAM) or `upstream` (no frame of ours).
Errors on invalid input, including a pass saying it cannot lower something,
are not findings.

Modes:
  fuzz.py --rope-opt PATH --seconds N --seed S --out DIR
      fuzz for N seconds, write DIR/findings/*/ (input, minimized input,
      command, stderr) and DIR/summary.md; exit 1 if a finding is in our code
      and not already recorded in --regressions.
  fuzz.py --replay test/fuzz/regressions --rope-opt PATH
      run every kept input through every invocation; exit 1 on a finding in
      our code (crash, hang, memory, exit0-error, round-trip, verifier gap).
  fuzz.py --minimize FILE --rope-opt PATH [--save-regression DIR]
      re-check FILE, minimize what it finds, optionally keep it as a
      regression input.

Python 3 standard library only. One rope-opt process at a time.
"""

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# ---------------------------------------------------------------------------
# Invocations
# ---------------------------------------------------------------------------

COMMON = ["--mlir-disable-threading"]
INVOCATIONS = [
    ("parse", []),
    ("canonicalize", ["--canonicalize"]),
    ("raise", ["-p", "builtin.module(func.func(rope-raise{report=true}))"]),
    ("decompose", ["-p", "builtin.module(func.func(rope-decompose))"]),
    ("cpu", ["--rope-cpu-pipeline"]),
    ("cpu-threads", ["--rope-cpu-pipeline=threads=true"]),
    ("gpu", ["--rope-gpu-pipeline=chip=sm_90 format=isa"]),
]
PASS_INVOCATIONS = [inv for inv in INVOCATIONS if inv[0] != "parse"]
# Pass invocations whose output still has rope ops: it must parse back.
REPARSE_OUTPUT = {"canonicalize", "raise", "decompose"}


def random_extra_invocation(rng):
    """A pipeline with random options (one per valid mutant)."""
    def num():
        return rng.choice(["0", "1", "2", "3", "7", "64", "-1", "1024", "2560",
                           "4294967296", "9223372036854775807", "-9223372036854775808"])
    def flag():
        return rng.choice(["true", "false"])
    choice = rng.randrange(13)
    if choice == 0:
        opts = []
        for key, gen in (("tile-size", num), ("vectorize", flag), ("threads", flag),
                         ("min-parallel-tokens", num), ("nontemporal-min-bytes", num),
                         ("prefetch-distance", num),
                         ("cpu-features", lambda: rng.choice(
                             ["host", "+avx512f,+avx512bf16", "+avx2", "-sse2,+avx512bf16",
                              "+sse2", "+avx512bf16", "+neon", "avx", "+", "-avx512f,+avx512f"]))):
            if rng.random() < 0.4:
                opts.append("%s=%s" % (key, gen()))
        return ("cpu-options", ["--rope-cpu-pipeline=" + " ".join(opts)])
    if choice == 1:
        return ("tile-tokens", ["-p", "builtin.module(func.func(rope-tile-tokens{tile-size=%s "
                                "parallel=%s min-parallel-tokens=%s}))" % (num(), flag(), num())])
    if choice == 2:
        return ("vectorize", ["-p", "builtin.module(func.func(rope-decompose,canonicalize,"
                              "rope-codegen-vectorize,canonicalize,cse))"])
    if choice == 3:
        return ("to-gpu", ["-p", "builtin.module(convert-rope-to-gpu)"])
    if choice == 4:
        return ("raise-cpu", ["-p", "builtin.module(func.func(rope-raise),canonicalize,cse,"
                              "rope-cpu-pipeline)"])
    if choice == 5:
        return ("gpu-options", ["--rope-gpu-pipeline=chip=%s format=isa" %
                                rng.choice(["sm_80", "sm_90", "sm_50", "sm_100", "sm_90a"])])
    if choice == 6:
        return ("tile-decompose", ["-p", "builtin.module(func.func(rope-tile-tokens{tile-size=%s "
                                   "parallel=true},rope-decompose,canonicalize,cse))" % num()])
    if choice == 7:
        return ("raise-canon", ["-p", "builtin.module(func.func(rope-raise),canonicalize,cse)"])
    if choice == 8:
        # Buffer-level copies (the seeds' memref.copy ops) as vector loops,
        # then lowered to LLVM as the CPU pipeline does.
        return ("vectorize-copies", ["-p", "builtin.module(func.func(rope-codegen-vectorize-copies{"
                                     "parallel=%s min-parallel-bytes=%s}),canonicalize,cse)"
                                     % (flag(), num())])
    if choice == 9:
        return ("widen-bf16", ["-p", "builtin.module(rope-codegen-widen-bf16-arith,canonicalize)"])
    if choice == 10:
        return ("loop-buffers", ["-p", "builtin.module(rope-codegen-loop-buffers-to-stack{max-bytes=%s "
                                 "max-scope-bytes=%s},canonicalize)" % (num(), num())])
    if choice == 11:
        return ("bf16-lanes", ["-p", "builtin.module(rope-codegen-bf16-even-odd-lanes,"
                               "rope-x86-avx512bf16-sum-of-squares,rope-x86-avx512bf16-truncf,canonicalize)"])
    return ("cpu-novec", ["--rope-cpu-pipeline=vectorize=false tile-size=%s" % num()])


# ---------------------------------------------------------------------------
# Running rope-opt
# ---------------------------------------------------------------------------

class Result:
    __slots__ = ("rc", "stdout", "stderr", "timed_out", "seconds")

    def __init__(self, rc, stdout, stderr, timed_out, seconds):
        self.rc, self.stdout, self.stderr = rc, stdout, stderr
        self.timed_out, self.seconds = timed_out, seconds


def is_sanitized(binary):
    try:
        with open(binary, "rb") as f:
            data = f.read()
        return b"__asan_init" in data or b"AddressSanitizer" in data
    except OSError:
        return False


class Runner:
    def __init__(self, binary, timeout, mem_mb, workdir):
        self.binary = binary
        self.timeout = timeout
        self.mem_mb = mem_mb
        self.workdir = workdir
        self.sanitized = is_sanitized(binary)
        self.env = dict(os.environ)
        # The symbolizer makes stack dumps readable (frame names classify).
        self.env.setdefault("LLVM_SYMBOLIZER_PATH", shutil.which("llvm-symbolizer") or "")
        if self.sanitized:
            asan = self.env.get("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1:allow_user_poisoning=0")
            # ASan reserves terabytes of address space: no RLIMIT_AS. Its own
            # guards instead: one allocation, and the process's RSS.
            extra = "allocator_may_return_null=0:max_allocation_size_mb=%d:hard_rss_limit_mb=%d" % (
                mem_mb, mem_mb + 2048)
            self.env["ASAN_OPTIONS"] = asan + ":" + extra
            self.env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        self.count = 0
        self.cpu_seconds = 0.0

    def _limits(self):
        os.setsid()
        if not self.sanitized:
            limit = self.mem_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def run(self, args, text, name="in.mlir"):
        path = os.path.join(self.workdir, name)
        with open(path, "w") as f:
            f.write(text)
        cmd = [self.binary, path] + COMMON + args
        start = time.monotonic()
        self.count += 1
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env,
                                preexec_fn=self._limits)
        timed_out = False
        try:
            out, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            # SIGABRT makes LLVM's handler print the stack and the running pass.
            try:
                os.kill(proc.pid, signal.SIGABRT)
            except ProcessLookupError:
                pass
            try:
                out, err = proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                out, err = proc.communicate()
        seconds = time.monotonic() - start
        self.cpu_seconds += seconds
        return Result(proc.returncode, out.decode("utf-8", "replace"),
                      err.decode("utf-8", "replace"), timed_out, seconds)


# ---------------------------------------------------------------------------
# Reading diagnostics and stacks
# ---------------------------------------------------------------------------

DIAG_ERROR_RE = re.compile(r"^(?:(?:[^\s].*?:\d+:\d+|<unknown>:0|loc\(.*?\)):\s)?error: (.*)$")


def error_lines(stderr):
    out = []
    for line in stderr.splitlines():
        m = DIAG_ERROR_RE.match(line)
        if m:
            out.append(line)
    return out


def has_rope_ops(text):
    return re.search(r"\brope\.(rotate|stream_fence)", text) is not None


def diag_message(line):
    """A diagnostic line without its location."""
    return re.sub(r"^.*?error: ", "", line)


def first_error(stderr):
    lines = error_lines(stderr)
    return lines[0] if lines else None


def normalize_message(msg):
    msg = re.sub(r"^.*?error: ", "", msg)
    msg = re.sub(r"0x[0-9a-fA-F]+", "0xN", msg)
    msg = re.sub(r"-?\d+(\.\d+)?(e[-+]?\d+)?", "N", msg)
    msg = re.sub(r"\s+", " ", msg).strip()
    return msg[:160]


SKIP_FRAME_RE = re.compile(
    r"llvm::sys::|SignalHandler|PrintStackTrace|RunSignalHandlers|__restore_rt|^raise$|^abort$|"
    r"__GI_|__pthread_kill|pthread_kill|gsignal|__sanitizer|__asan|__ubsan|__lsan|__interceptor|"
    r"__interception|___interceptor|^__cxa|__cxxabiv1|__gnu_cxx::__verbose_terminate_handler|"
    r"^std::terminate|^std::__terminate|^std::__throw|llvm::report_fatal_error|"
    r"llvm::report_bad_alloc_error|llvm::llvm_unreachable_internal|__assert_fail|"
    r"^operator new|^operator delete|^malloc$|^calloc$|^realloc$|^free$|^memcpy$|^memmove$|"
    r"^memset$|^strlen$|^memcmp$|^bcmp$|llvm::safe_malloc|llvm::safe_realloc|llvm::allocate_buffer|"
    r"^__libc_|^_start$|^main$|^__asan_memcpy|^__asan_memmove|^__asan_memset|"
    r"^std::__new_allocator|^std::allocator|^std::_Vector_base|^__gnu_cxx::new_allocator|"
    r"^$|^\?\?$")


def simplify_function(name):
    name = name.strip()
    name = name.replace("(anonymous namespace)", "anon")
    name = name.replace("operator()", "operator_call")
    name = re.sub(r"\{lambda\([^{}]*\)#(\d+)\}", r"lambda#\1", name)
    # Drop the parameter list and qualifiers after it.
    depth = 0
    for i, ch in enumerate(name):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif ch == "(" and depth == 0:
            name = name[:i]
            break
    prev = None
    while prev != name:
        prev = name
        name = re.sub(r"<[^<>]*>", "<>", name)
    return name.strip()


class Frame:
    __slots__ = ("function", "location", "module")

    def __init__(self, function, location, module):
        self.function, self.location, self.module = function, location, module

    def text(self):
        return self.function or (os.path.basename(self.module) if self.module else "??")


LLVM_FRAME_RE = re.compile(r"^\s*#\d+ 0x[0-9a-fA-F]+ (.*?)(?: \(([^()]*\+0x[0-9a-fA-F]+)\))?$")
SAN_FRAME_RE = re.compile(r"^\s*#\d+ 0x[0-9a-fA-F]+ in (.*?)(?: ((?:/|\.\.?/)\S+?:\d+(?::\d+)?))?"
                          r"(?: \(([^()]*\+0x[0-9a-fA-F]+)\))?$")
SAN_FRAME_NOSYM_RE = re.compile(r"^\s*#\d+ 0x[0-9a-fA-F]+ \(([^()]*\+0x[0-9a-fA-F]+)\)$")


def parse_frames(lines):
    frames = []
    for line in lines:
        m = SAN_FRAME_RE.match(line)
        if m:
            frames.append(Frame(simplify_function(m.group(1)), m.group(2) or "", m.group(3) or ""))
            continue
        m = SAN_FRAME_NOSYM_RE.match(line)
        if m:
            frames.append(Frame("", "", m.group(1)))
            continue
        m = LLVM_FRAME_RE.match(line)
        if m:
            func = m.group(1)
            module = m.group(2) or ""
            # "func /path/file.cpp:12:3" when symbolized with line info.
            loc = ""
            lm = re.match(r"^(.*) ((?:/|\.\.?/)\S+:\d+(?::\d+)?)$", func)
            if lm:
                func, loc = lm.group(1), lm.group(2)
            if func.startswith("(") and "+0x" in func:
                module, func = func.strip("()"), ""
            frames.append(Frame(simplify_function(func), loc, module))
    return frames


LIBC_FUNC_RE = re.compile(r"^(__mem\w+|__str\w+|__wmem\w+|syscall|__syscall\w*|__GI___\w+)$")


def meaningful(frames):
    out = []
    for fr in frames:
        if fr.function and (SKIP_FRAME_RE.search(fr.function) or LIBC_FUNC_RE.match(fr.function)):
            continue
        if re.search(r"(^|/)(sysdeps|csu|nptl|string|misc|libsanitizer)/", fr.location):
            continue
        if not fr.function and re.search(r"libc\.so|libasan|libubsan|libstdc\+\+|libgcc|libLLVM",
                                         fr.module):
            continue
        out.append(fr)
    return out


def is_our_frame(fr, binary):
    fn = fr.function
    if re.search(r"\brope::|Rope[A-Z]|\bRope\b|rope_", fn):
        return True
    if fr.location and (fr.location.startswith(os.path.join(ROOT, "lib")) or
                        fr.location.startswith(os.path.join(ROOT, "include")) or
                        "/lib/Rope/" in fr.location or "/include/Rope/" in fr.location):
        return True
    # A frame of the rope-opt binary itself, unless it is a header template
    # of LLVM/MLIR that the binary happens to hold (the dynamic linker may
    # pick its copy for libMLIR's calls too).
    if fr.module and binary and os.path.basename(fr.module.split("+")[0]) == os.path.basename(binary):
        if fn not in ("main", "_start", "") and not fn.startswith("__libc") and \
                not re.match(r"^(llvm|mlir|std|__gnu_cxx|__cxxabiv1)::", fn):
            return True
    return False


def stack_sections(stderr):
    """(first stack's frame lines, sanitizer header or None, pretty-stack lines)."""
    lines = stderr.splitlines()
    sanitizer = None
    start = None
    for i, line in enumerate(lines):
        if "ERROR: AddressSanitizer" in line or "ERROR: LeakSanitizer" in line or \
                "runtime error:" in line:
            sanitizer = line
            start = i + 1
            break
    if start is None:
        for i, line in enumerate(lines):
            if line.startswith("Stack dump:") or re.match(r"^\s*#0 0x", line):
                start = i
                break
    frames = []
    if start is not None:
        begun = False
        for line in lines[start:]:
            if re.match(r"^\s*#\d+ 0x", line):
                frames.append(line)
                begun = True
            elif begun and not line.strip():
                break
            elif begun and not re.match(r"^\s*#\d+ ", line):
                break
    pretty = [l for l in lines if re.match(r"^\d+\.\s", l)]
    return frames, sanitizer, pretty


def running_pass(stderr):
    passes = re.findall(r"Running pass '([^']+)'", stderr)
    return passes[-1] if passes else ""


# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------

class Finding:
    def __init__(self, kind, signature, inv_name, inv_args, origin, detail, stack_top,
                 stderr, pass_name=""):
        detail = re.sub(r"/\S*/((?:in|out|rt|rt2|pre|min)\.mlir)", r"\1", detail)
        self.kind, self.signature = kind, signature
        self.inv_name, self.inv_args = inv_name, inv_args
        self.origin, self.detail, self.stack_top = origin, detail, stack_top
        self.stderr, self.pass_name = stderr, pass_name
        self.known = ""

    def key(self):
        return self.signature


# Upstream MLIR crashes the team already knows: reported and kept, not
# counted as failures of our code. Each: a name, a pattern over the named
# stack frames, and a pattern the input must match (many frames of libMLIR
# are hidden symbols without a name). Only crashes without a frame of ours
# are matched.
KNOWN_UPSTREAM = [
    ("linalg.broadcast parse crash on malformed dimensions",
     re.compile(r"linalg::BroadcastOp|BroadcastOp::parse"),
     re.compile(r"linalg\.broadcast[^\n]*dimensions")),
    ("tensor.dim/memref.dim with a negative constant index (one-shot-bufferize; "
     "canonicalize with the gpu dialect loaded)",
     re.compile(r"(tensor|memref)::DimOp|DimOfCast|FoldDimOf|DimOfMemRef|DimOfForall|"
                r"DimOfReifyRankedShapedTypeOpInterface|DimOfShapedTypeOpInterface"),
     re.compile(r"(?s)(?=.*\b(tensor|memref)\.dim\b)(?=.*arith\.constant -\d+ : index)")),
]


def known_upstream(stack_text, text):
    for name, stack_re, input_re in KNOWN_UPSTREAM:
        if stack_re.search(stack_text) and (text is None or input_re.search(text)):
            return name
        if text is not None and input_re.search(text):
            return name
    return ""


def classify_stack(kind, stderr, binary, inv_name, text=None):
    frame_lines, sanitizer, _ = stack_sections(stderr)
    frames = parse_frames(frame_lines)
    mean = meaningful(frames)
    ours = [fr for fr in mean if is_our_frame(fr, binary)]
    # Hidden functions of libMLIR have no name: the first named frame
    # signs the crash (an unnamed first frame is a library offset).
    named = [fr for fr in mean if fr.function]
    top = named[0].text() if named else "??"
    if mean and not mean[0].function:
        # libMLIR.so.22.1+0x35542ec: stable for one build of the library.
        top = os.path.basename(mean[0].module) + ("|" + top if named else "")
    stack_top = [fr.text() + (" " + fr.location if fr.location else "") for fr in mean[:6]]
    pname = running_pass(stderr)
    if sanitizer:
        m = re.search(r"ERROR: (?:AddressSanitizer|LeakSanitizer): ([\w-]+)", sanitizer)
        if "runtime error:" in sanitizer and not m:
            loc = re.match(r"^(\S+?:\d+):\d+: runtime error: (.*)$", sanitizer.strip())
            what = normalize_message(loc.group(2)) if loc else normalize_message(sanitizer)
            where = os.path.relpath(loc.group(1), ROOT) if loc and loc.group(1).startswith(ROOT) \
                else (loc.group(1) if loc else top)
            head = "ubsan|%s|%s" % (where, what)
        else:
            head = "%s|%s" % (m.group(1) if m else "asan", top)
    else:
        head = "%s|%s" % (kind, top)
    origin = "ours" if ours else "upstream"
    if ours and ours[0].text() != top:
        head += "|" + ours[0].text()
    known = ""
    if not mean:
        # No usable frame (a stack the handler could not walk): what LLVM's
        # pretty stack trace says it was doing, e.g. "MLIR Parser: custom op
        # parser 'linalg.batch_matmul'", or else the running pass.
        doing = [re.sub(r"^\d+\.\s+", "", l).strip("\x00 ") for l in stderr.splitlines()
                 if re.match(r"^\d+\.\s", l) and "Program arguments" not in l]
        where = doing[-1] if doing else (pname or inv_name)
        head = "%s|%s" % (kind, re.sub(r"\s+", " ", where)[:120])
        stack_top = doing[-3:]
        origin = "ours" if re.search(r"[Rr]ope", where) else ("upstream" if doing or pname else "ours")
    if origin == "upstream":
        known = known_upstream("\n".join(fr.text() for fr in mean[:12]), text)
        if known:
            origin = "upstream-known"
    return head, origin, stack_top, pname, known


def crash_kind(res):
    """The kind of a failure that is not about diagnostics, or None."""
    err = res.stderr
    if res.timed_out:
        return "hang"
    if "ERROR: LeakSanitizer" in err:
        return "leak"
    if re.search(r"ERROR: AddressSanitizer: (allocation-size-too-big|out of memory|"
                 r"requested allocation size|hard rss limit|rss-limit|calloc-overflow|"
                 r"pvalloc-overflow|allocator is out of memory)", err) or \
            "hard rss limit exhausted" in err:
        return "memory"
    if "ERROR: AddressSanitizer" in err or "runtime error:" in err:
        return "crash"
    if re.search(r"std::bad_alloc|LLVM ERROR: out of memory|Allocation failed|"
                 r"LLVM ERROR: Unable to allocate|Cannot allocate memory", err):
        return "memory"
    if "LLVM ERROR:" in err or "PLEASE submit a bug report" in err or "Stack dump:" in err:
        return "crash"
    if res.rc is not None and (res.rc < 0 or res.rc >= 128):
        return "crash"
    return None


def crash_finding(kind, res, inv_name, inv_args, binary, text=None):
    head, origin, stack_top, pname, known = classify_stack(kind, res.stderr, binary, inv_name, text)
    detail = ""
    m = re.search(r"LLVM ERROR: (.*)", res.stderr)
    if m:
        detail = m.group(1).strip()
        if not stack_top or stack_top == ["??"]:
            head = "%s|llvm-error|%s" % (kind, normalize_message(detail))
    m = re.search(r"(ERROR: (?:AddressSanitizer|LeakSanitizer).*|\S+ runtime error: .*)", res.stderr)
    if m:
        detail = m.group(1).strip()[:300]
    if kind == "hang":
        # Where a hang was interrupted varies: the pass it was in signs it
        # (the frame below the pass manager's), and our first frame if any.
        frames = meaningful(parse_frames(stack_sections(res.stderr)[0]))
        where = next((frames[i - 1].text() for i, fr in enumerate(frames)
                      if i and "OpToOpPassAdaptor::run" in fr.function), "parse?")
        ours = [fr.text() for fr in frames if is_our_frame(fr, binary)]
        head = "hang|%s%s" % (where, "|" + ours[0] if ours else "")
        detail = detail or "no exit within the timeout; %s" % (pname or "no pass named")
    if kind == "crash" and not detail:
        if res.rc is not None and res.rc < 0:
            try:
                detail = signal.Signals(-res.rc).name
            except ValueError:
                detail = "signal %d" % -res.rc
        else:
            detail = "exit %s" % res.rc
    if not head.startswith(kind) and kind not in ("crash",):
        head = kind + "|" + head
    f = Finding(kind, head, inv_name, inv_args, origin, detail, stack_top, res.stderr, pname)
    f.known = known
    return f


def failing_pass_from_dump(stderr):
    m = re.findall(r"IR Dump After (\S+) Failed", stderr)
    return m[-1] if m else ""


class Checker:
    """Runs one invocation on one input and returns its findings."""

    def __init__(self, runner):
        self.runner = runner
        self.binary = runner.binary
        # (invocation, first error) pairs known to be a pass's own failure.
        self.pass_failures = set()

    def check(self, inv_name, inv_args, text, parse_result=None):
        """Findings (list) and the main Result."""
        r = self.runner
        if inv_name == "parse":
            return self.check_parse(text, parse_result)
        args = inv_args + ["--mlir-print-ir-after-failure"]
        res = r.run(args, text)
        findings = []
        kind = crash_kind(res)
        if kind:
            findings.append(crash_finding(kind, res, inv_name, inv_args, self.binary, text))
            return findings, res
        errs = error_lines(res.stderr)
        if res.rc == 0:
            if errs:
                findings.append(Finding(
                    "exit0-error", "exit0-error|%s|%s" % (inv_name, normalize_message(errs[0])),
                    inv_name, inv_args,
                    "ours" if has_rope_ops(text) or "rope" in diag_message(errs[0]) else "upstream",
                    errs[0], [], res.stderr))
            elif inv_name in REPARSE_OUTPUT:
                back = r.run([], res.stdout, "out.mlir")
                k2 = crash_kind(back)
                if k2:
                    # Parsing this invocation's output crashes.
                    f = crash_finding(k2, back, inv_name, inv_args, self.binary, text)
                    f.detail = "parsing the output of %s: %s" % (inv_name, f.detail)
                    findings.append(f)
                elif back.rc != 0:
                    e = first_error(back.stderr) or "exit %s" % back.rc
                    echoed = [l for l in back.stderr.splitlines() if not re.match(r"^\S+:\d+:\d+: ", l)]
                    origin = "ours" if re.search("rope", diag_message(e) + "\n".join(echoed)) else "upstream"
                    findings.append(Finding(
                        "round-trip", "round-trip|%s output|%s" % (inv_name, normalize_message(e)),
                        inv_name, inv_args, origin, "output of %s does not parse: %s" % (inv_name, e),
                        [], back.stderr))
            return findings, res
        if not errs:
            pname = failing_pass_from_dump(res.stderr)
            findings.append(Finding(
                "silent-failure", "silent-failure|%s|%s" % (inv_name, pname or "?"),
                inv_name, inv_args, "ours" if (not pname or "Rope" in pname) else "upstream",
                "exit %s without a diagnostic (failing pass: %s)" % (res.rc, pname or "?"),
                [], res.stderr, pname))
            return findings, res
        # A pass failed with a diagnostic: its own failure, or the verifier
        # after it? Without verification, a pass failure fails identically.
        first = errs[0]
        key = (inv_name, normalize_message(first))
        if key in self.pass_failures:
            return findings, res
        res2 = r.run(inv_args + ["--verify-each=false"], text)
        errs2 = error_lines(res2.stderr)
        if not crash_kind(res2) and errs2 and errs2[0] == first:
            self.pass_failures.add(key)
            return findings, res
        pname = failing_pass_from_dump(res.stderr)
        # Our passes, our ops, or our pipelines (which must lower what they
        # accept or say why not) are ours; an upstream pass run alone is not.
        # Ours when one of our passes broke the IR, the broken op is ours, or
        # the input has rope ops (an upstream pass broke what ours made, or
        # our op's interfaces misled it); an upstream pass on upstream IR is
        # upstream's (even inside our pipelines: their passes are upstream's).
        origin = "ours" if ("Rope" in pname or "rope" in diag_message(first) or
                            has_rope_ops(text)) else "upstream"
        later = "succeeds" if res2.rc == 0 and not crash_kind(res2) else (
            "crashes" if crash_kind(res2) else "fails later: " + (errs2[0] if errs2 else "?"))
        findings.append(Finding(
            "verifier-gap", "verifier-gap|%s|%s" % (pname or "?", normalize_message(first)),
            inv_name, inv_args, origin,
            "after pass %s: %s (with --verify-each=false the invocation %s)" % (pname or "?", first, later),
            [], res.stderr, pname))
        return findings, res

    def check_parse(self, text, res=None):
        r = self.runner
        if res is None:
            res = r.run([], text)
        findings = []
        kind = crash_kind(res)
        if kind:
            findings.append(crash_finding(kind, res, "parse", [], self.binary, text))
            return findings, res
        errs = error_lines(res.stderr)
        if res.rc != 0:
            if not errs:
                findings.append(Finding("silent-failure", "silent-failure|parse|?", "parse", [],
                                        "ours", "parse exits %s without a diagnostic" % res.rc,
                                        [], res.stderr))
            return findings, res
        if errs:
            findings.append(Finding("exit0-error", "exit0-error|parse|%s" % normalize_message(errs[0]),
                                    "parse", [], "ours", errs[0], [], res.stderr))
            return findings, res
        out1 = res.stdout
        # The printed text parses back (printed generic this time), and that
        # parses back to print exactly the first text.
        g = r.run(["--mlir-print-op-generic"], out1, "rt.mlir")
        k = crash_kind(g)
        if k:
            findings.append(crash_finding(k, g, "parse", ["--mlir-print-op-generic"], self.binary, text))
            return findings, res
        if g.rc != 0 or error_lines(g.stderr):
            e = first_error(g.stderr) or "exit %s" % g.rc
            findings.append(self._rt("reparse", e, g.stderr, out1))
            return findings, res
        back = r.run([], g.stdout, "rt2.mlir")
        k = crash_kind(back)
        if k:
            findings.append(crash_finding(k, back, "parse", [], self.binary, text))
            return findings, res
        if back.rc != 0 or error_lines(back.stderr):
            e = first_error(back.stderr) or "exit %s" % back.rc
            findings.append(self._rt("generic reparse", e, back.stderr, g.stdout))
            return findings, res
        if back.stdout != out1:
            d, lines = first_difference(out1, back.stdout)
            findings.append(self._rt("reprint differs", d, lines,
                                     out1 + "\n// ---- printed after the round trip:\n" + back.stdout))
        return findings, res

    def _rt(self, step, message, context, text):
        # Ours when the text that fails (echoed by the diagnostic, or the
        # differing lines) involves the rope dialect.
        echoed = [l for l in context.splitlines() if not re.match(r"^\S+:\d+:\d+: ", l)]
        origin = "ours" if re.search(r"rope", diag_message(message) + "\n".join(echoed)) else "upstream"
        stderr = context
        return Finding("round-trip", "round-trip|%s|%s" % (step, normalize_message(message)),
                       "parse", [], origin, "%s: %s" % (step, message), [], stderr + "\n" + text[:4000])


def first_difference(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for x, y in zip(al, bl):
        if x != y:
            # The differing token region (numbers kept: a float printing
            # differently is the finding).
            i = 0
            while i < min(len(x), len(y)) and x[i] == y[i]:
                i += 1
            return "%r -> %r" % (x[max(0, i - 30):i + 40], y[max(0, i - 30):i + 40]), x + "\n" + y
    return "line count %d -> %d" % (len(al), len(bl)), ""


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------

def load_seeds(dirs, exclude=()):
    seeds = []
    for d in dirs:
        for base, subdirs, files in os.walk(d):
            subdirs.sort()
            if any(os.path.abspath(base).startswith(os.path.abspath(e)) for e in exclude):
                continue
            for name in sorted(files):
                if not name.endswith(".mlir"):
                    continue
                path = os.path.join(base, name)
                try:
                    with open(path) as f:
                        text = f.read()
                except (OSError, UnicodeDecodeError):
                    continue
                pieces = re.split(r"(?m)^// -----.*$", text)
                for i, piece in enumerate(pieces):
                    body = strip_comments(piece)
                    if body.strip():
                        seeds.append(("%s#%d" % (os.path.relpath(path, ROOT), i), body))
    return seeds


def strip_comments(text):
    lines = [l for l in text.splitlines() if not l.lstrip().startswith("//")]
    return "\n".join(lines).strip("\n") + "\n"


# ---------------------------------------------------------------------------
# A generator of rope ops (seeds that reach both pipelines)
# ---------------------------------------------------------------------------

def gen_rope(rng):
    layout = rng.choice(["bhsd", "bshd", "thd", "packed"])
    pairing = rng.choice(["half", "adjacent"])
    head_dim = rng.choice([2, 4, 6, 8, 8, 16, 16, 32, 40, 64, 80, 128])
    rotary = rng.choice([head_dim] * 3 + [max(2, (head_dim // 2) & ~1), 2])
    if rotary % 2 or rotary > head_dim:
        rotary = head_dim - head_dim % 2
    pairs = rotary // 2
    dtype = rng.choice(["f32", "f32", "f16", "bf16"])
    pos_t = rng.choice(["i64", "i64", "i32", "f32"])
    batch = rng.choice(["1", "2", "?"])
    seq = rng.choice(["1", "3", "8", "16", "?"])
    heads = [rng.choice(["1", "2", "4"]), rng.choice(["1", "2"])]
    two = rng.random() < 0.4
    tables = rng.random() < 0.25
    in_place = rng.random() < 0.35
    entry = rng.random() < 0.5
    # Axis map.
    axes_text, axes_rows = "", 1
    if not tables and rng.random() < 0.55 and pairs >= 1:
        kind = rng.choice(["sequential", "interleaved", "custom", "per_axis"])
        if kind == "interleaved" and pairs >= 3:
            c1 = len(range(1, pairs, 3))
            c2 = len(range(2, pairs, 3))
            v1, v2 = rng.randint(1, c1), rng.randint(1, c2)
            v0 = pairs - v1 - v2
            axes_text, axes_rows = "<interleaved [%d, %d, %d]>" % (v0, v1, v2), 3
        elif kind == "custom":
            rows = rng.randint(1, 3)
            vals = [rng.randrange(rows) for _ in range(pairs)]
            vals[rng.randrange(pairs)] = rows - 1
            axes_text, axes_rows = "<custom [%s]>" % ", ".join(map(str, vals)), rows
        else:
            k = rng.randint(1, min(3, pairs))
            cuts = sorted(rng.sample(range(1, pairs), k - 1)) if k > 1 else []
            secs = [b - a for a, b in zip([0] + cuts, cuts + [pairs])]
            axes_text = "<sequential [%s]%s>" % (", ".join(map(str, secs)),
                                                 " per_axis" if kind == "per_axis" else "")
            axes_rows = k
    scaling, seq_len = "", False
    if not tables and rng.random() < 0.5:
        s = rng.randrange(5)
        if s == 0:
            scaling = "#rope.linear<factor = %s>" % rng.choice(["2.0", "4.0", "0.5"])
        elif s == 1:
            scaling = "#rope.yarn<factor = %s, original_max_position = %d%s>" % (
                rng.choice(["3.0", "1.0", "40.0"]), rng.choice([4096, 32768, 1]),
                rng.choice(["", ", beta_fast = 16.0, beta_slow = 2.0"]))
        elif s == 2:
            scaling = ("#rope.llama3<factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, "
                       "original_max_position = %d>" % rng.choice([8192, 16]))
        elif s == 3:
            scaling = "#rope.freq_factors<[%s]>" % ", ".join(
                rng.choice(["1.0", "1.5", "2.0", "4.0"]) for _ in range(pairs))
        elif rotary > 2:
            scaling = "#rope.dynamic_ntk<factor = 2.0, original_max_position = %d>" % rng.choice([4096, 4])
            seq_len = True
    theta = rng.choice(["1.0e4", "5.0e5", "5.0e6", "1.0e6", "10000.0", "1.5"])

    def x_type(h):
        if layout == "bhsd":
            shape = [batch, h, seq, str(head_dim)]
        elif layout == "bshd":
            shape = [batch, seq, h, str(head_dim)]
        elif layout == "thd":
            shape = [seq, h, str(head_dim)]
        else:
            shape = [seq, str(int(h) * head_dim)]
        return "x".join(shape) + "x" + dtype

    pos_shape = [str(axes_rows)] + ([batch, seq] if layout in ("bhsd", "bshd") else [seq])
    w = rng.choice([rotary, pairs])
    tab_shape = ([batch, seq] if layout in ("bhsd", "bshd") else [seq]) + [str(w)]
    tab_dtype = rng.choice([dtype, "f32"])
    xs = [x_type(heads[0])] + ([x_type(heads[1])] if two else [])
    kind = "memref" if entry else "tensor"
    args, body = [], []
    names = []
    for i, t in enumerate(xs):
        args.append("%%x%d: %s<%s>" % (i, kind, t))
        names.append("%%x%d" % i)
    if tables:
        tt = "x".join(tab_shape) + "x" + tab_dtype
        args += ["%%cos: %s<%s>" % (kind, tt), "%%sin: %s<%s>" % (kind, tt)]
    else:
        pt = "x".join(pos_shape) + "x" + pos_t
        args.append("%%pos: %s<%s>" % (kind, pt))
    if not in_place:
        for i, t in enumerate(xs):
            args.append("%%o%d: %s<%s>" % (i, kind, t))
    if seq_len:
        args.append("%len: index")

    def tensor_of(name, t, writable=False):
        if not entry:
            return name
        body.append("  %s_t = bufferization.to_tensor %s restrict%s : memref<%s> to tensor<%s>" % (
            name, name, " writable" if writable else "", t, t))
        return name + "_t"

    ins = [tensor_of(n, t, writable=in_place) for n, t in zip(names, xs)]
    if tables:
        tt = "x".join(tab_shape) + "x" + tab_dtype
        cos, sin = tensor_of("%cos", tt), tensor_of("%sin", tt)
    else:
        pos = tensor_of("%pos", "x".join(pos_shape) + "x" + pos_t)
    outs = ins if in_place else [tensor_of("%%o%d" % i, t, writable=True) for i, t in enumerate(xs)]
    types = ", ".join("tensor<%s>" % t for t in xs)
    res = "%r" if len(xs) == 1 else "%r:2"
    op = "rope.rotate_with_tables" if tables else "rope.rotate"
    text = "  %s = %s" % (res, op)
    if not in_place:
        text += " ins(%s : %s)" % (", ".join(ins), types)
    if tables:
        tt = "tensor<%s>" % ("x".join(tab_shape) + "x" + tab_dtype)
        text += "\n      cos(%s : %s) sin(%s : %s)" % (cos, tt, sin, tt)
    else:
        text += "\n      positions(%s : tensor<%s>)" % (pos, "x".join(pos_shape) + "x" + pos_t)
        if seq_len:
            text += " seq_len(%len)"
    text += "\n      outs(%s : %s)" % (", ".join(outs), types)
    text += "\n      layout = %s pairing = %s head_dim = %d rotary_dim = %d" % (layout, pairing, head_dim, rotary)
    if not tables:
        text += " theta = %s" % theta
        if axes_text:
            text += "\n      axes = %s" % axes_text
        if scaling:
            text += "\n      scaling = %s" % scaling
        if rng.random() < 0.2:
            text += " attention_factor = %s" % rng.choice(["1.1", "0.5", "2.0"])
        if rng.random() < 0.2:
            text += " inverse"
    text += " -> %s" % types
    body.append(text)
    results = ["%r"] if len(xs) == 1 else ["%r#0", "%r#1"]
    if entry:
        targets = names if in_place else ["%%o%d" % i for i in range(len(xs))]
        for r_, tgt, t in zip(results, targets, xs):
            body.append("  bufferization.materialize_in_destination %s in restrict writable %s\n"
                        "      : (tensor<%s>, memref<%s>) -> ()" % (r_, tgt, t, t))
        body.append("  return")
        sig = "func.func @gen(%s) attributes {llvm.emit_c_interface} {" % ", ".join(args)
    else:
        body.append("  return %s : %s" % (", ".join(results), types))
        sig = "func.func @gen(%s) -> (%s) {" % (", ".join(args), types)
    return sig + "\n" + "\n".join(body) + "\n}\n"


# ---------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------

INT_EDGES = ["0", "1", "-1", "2", "3", "5", "7", "63", "127", "129", "65535", "65536", "65537",
             "2147483647", "2147483648", "4294967295", "4294967296", "1099511627776",
             "281474976710656", "4611686018427387904", "9223372036854775807",
             "-9223372036854775808", "9223372036854775808", "18446744073709551615", "-2", "-129"]
FLOAT_EDGES = ["0.0", "-0.0", "1.0", "-1.0", "1.0e-05", "1.0e+308", "1.7976931348623157e+308",
               "4.9406564584124654e-324", "2.2250738585072014e-308", "1.0e+309", "0x7FF0000000000000",
               "0xFFF0000000000000", "0x7FF8000000000000", "0x0000000000000001", "0x8000000000000000",
               "inf", "nan", "-inf", "1.0000000000000002", "0.99999999999999989", "2.0", "0.5",
               "1.0e4", "1e4", "3", "1.0e-320", "65504.0", "3.4028235e+38", "0x7F800000"]
DIM_EDGES = ["?", "0", "1", "2", "3", "7", "65536", "4294967297", "1099511627776",
             "281474976710656", "4611686018427387904", "9223372036854775807", "-1"]
ELEM_TYPES = ["f32", "f16", "bf16", "f64", "i1", "i8", "i32", "i64", "si64", "ui32", "index",
              "complex<f32>", "f8E4M3FN", "tf32", "f80", "i0"]
ENUMS = [["bhsd", "bshd", "thd", "packed"], ["half", "adjacent"],
         ["sequential", "interleaved", "custom"]]
INT_ATTRS = r"head_dim|rotary_dim|original_max_position|tile-size|dimensions"
FLOAT_ATTRS = r"theta|factor|attention_factor|low_freq_factor|high_freq_factor|beta_fast|beta_slow"
ARITH_SWAPS = [["arith.addf", "arith.subf", "arith.mulf", "arith.divf", "arith.maximumf",
                "arith.minimumf"], ["arith.addi", "arith.subi", "arith.muli", "arith.divsi",
                                    "arith.remsi", "arith.floordivsi"],
               ["math.cos", "math.sin", "math.exp", "math.sqrt"],
               ["arith.sitofp", "arith.uitofp"], ["arith.extf", "arith.truncf"],
               ["\"parallel\"", "\"reduction\""], ["tosa.add", "tosa.sub", "tosa.mul"],
               ["rope.rotate_with_tables", "rope.rotate"]]

TOKEN_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"|0x[0-9a-fA-F]+|[-+]?\d+\.\d*(?:[eE][-+]?\d+)?|'
                      r'\d+|[%^#!@][\w.$-]*(?:#\d+|:\d+)?|[A-Za-z_][\w.$]*|->|[^\s]')
INT_RE = re.compile(r"(?<![\w.#%^@!x-])-?\d+(?![\w.])")
FLOAT_RE = re.compile(r"(?<![\w.])-?\d+\.\d*(?:[eE][-+]?\d+)?|0x[0-9A-Fa-f]{8,16}\b")
SHAPED_RE = re.compile(r"\b(tensor|memref|vector)<([^<>]*(?:<[^<>]*>)?[^<>]*)>")


def pick_match(rng, regex, text, group=0):
    ms = list(regex.finditer(text))
    if not ms:
        return None
    return rng.choice(ms)


def replace_span(text, start, end, new):
    return text[:start] + new + text[end:]


class Mutator:
    def __init__(self, rng, pool_texts):
        self.rng = rng
        self.pool = pool_texts  # callable returning a random other seed text
        self.ops = [
            (6, self.int_attr), (5, self.float_attr), (3, self.any_int), (2, self.any_float),
            (5, self.shape_dim), (4, self.elem_type), (3, self.enum_swap), (4, self.axes),
            (3, self.operand_lists), (3, self.toggles), (4, self.scaling), (2, self.rank),
            (2, self.op_swap), (2, self.affine_map), (3, self.token_delete), (2, self.token_dup),
            (2, self.token_swap), (2, self.line_delete), (2, self.line_splice), (1, self.line_dup),
            (1, self.token_insert),
        ]
        self.total = sum(w for w, _ in self.ops)

    def mutate(self, text, n=1):
        names = []
        for _ in range(n):
            for _attempt in range(8):
                r = self.rng.uniform(0, self.total)
                for w, op in self.ops:
                    r -= w
                    if r <= 0:
                        break
                new = op(text)
                if new is not None and new != text:
                    text = new
                    names.append(op.__name__)
                    break
        return text, names

    # -- dialect-aware --------------------------------------------------------
    def int_attr(self, text):
        m = pick_match(self.rng, re.compile(r"\b(%s)\s*=\s*(-?\d+)" % INT_ATTRS), text)
        if not m:
            return self.any_int(text)
        r = self.rng.random()
        if r < 0.7:
            v = self.rng.choice(INT_EDGES)
        elif r < 0.85:
            v = str(int(m.group(2)) + self.rng.choice([-2, -1, 1, 2]))
        else:
            v = str(int(m.group(2)) * self.rng.choice([2, 3]) // self.rng.choice([1, 2]))
        return replace_span(text, m.start(2), m.end(2), v)

    def float_attr(self, text):
        rx = re.compile(r"\b(%s)\s*=\s*(-?\d+\.\d*(?:[eE][-+]?\d+)?|0x[0-9A-Fa-f]+)" % FLOAT_ATTRS)
        ms = list(rx.finditer(text))
        ff = list(re.finditer(r"freq_factors<\[([^\]]*)\]>", text))
        if ff and (not ms or self.rng.random() < 0.3):
            m = self.rng.choice(ff)
            vals = [v.strip() for v in m.group(1).split(",") if v.strip()]
            r = self.rng.random()
            if vals and r < 0.6:
                vals[self.rng.randrange(len(vals))] = self.rng.choice(FLOAT_EDGES)
            elif vals and r < 0.8:
                vals.pop(self.rng.randrange(len(vals)))
            else:
                vals.append(self.rng.choice(FLOAT_EDGES))
            return replace_span(text, m.start(1), m.end(1), ", ".join(vals))
        if not ms:
            return self.any_float(text)
        m = self.rng.choice(ms)
        return replace_span(text, m.start(2), m.end(2), self.rng.choice(FLOAT_EDGES))

    def any_int(self, text):
        m = pick_match(self.rng, INT_RE, text)
        if not m:
            return None
        return replace_span(text, m.start(), m.end(), self.rng.choice(INT_EDGES))

    def any_float(self, text):
        m = pick_match(self.rng, FLOAT_RE, text)
        if not m:
            return None
        return replace_span(text, m.start(), m.end(), self.rng.choice(FLOAT_EDGES))

    def _shaped(self, text):
        ms = [m for m in SHAPED_RE.finditer(text)]
        return ms

    def _retype(self, text, m, new_inner):
        """Replace this shaped type, everywhere it occurs (keeps SSA types
        consistent) or only here."""
        old = m.group(0)
        new = "%s<%s>" % (m.group(1), new_inner)
        if self.rng.random() < 0.7:
            return text.replace(old, new)
        return replace_span(text, m.start(), m.end(), new)

    def _edit_shape(self, text, edit):
        """Retypes a random shaped type by `edit` of its `x`-separated parts
        (the dims, then the element type); None when there is no shaped type
        or `edit` returns None."""
        ms = self._shaped(text)
        if not ms:
            return None
        m = self.rng.choice(ms)
        parts = edit(m.group(2).split("x"))
        if parts is None:
            return None
        return self._retype(text, m, "x".join(parts))

    def shape_dim(self, text):
        def edit(parts):
            dims = [i for i, p in enumerate(parts[:-1]) if re.fullmatch(r"\?|\d+", p.strip())]
            if not dims:
                return None
            i = self.rng.choice(dims)
            parts[i] = self.rng.choice(DIM_EDGES + [str(self.rng.randint(1, 300))])
            return parts
        return self._edit_shape(text, edit)

    def rank(self, text):
        def edit(parts):
            if self.rng.random() < 0.5 and len(parts) > 1:
                parts.pop(self.rng.randrange(len(parts) - 1))
            else:
                parts.insert(self.rng.randrange(len(parts)), self.rng.choice(["1", "2", "?", "3"]))
            return parts
        return self._edit_shape(text, edit)

    def elem_type(self, text):
        ms = [m for m in self._shaped(text) if "," not in m.group(2)]
        if not ms:
            return None
        m = self.rng.choice(ms)
        inner = m.group(2)
        mm = re.search(r"(?:^|x)([a-z][\w<>]*)$", inner)
        if not mm:
            return None
        new = inner[:mm.start(1)] + self.rng.choice(ELEM_TYPES)
        return self._retype(text, m, new)

    def enum_swap(self, text):
        cands = []
        for group in ENUMS:
            for w in group:
                for m in re.finditer(r"(?<![\w.%@#])" + w + r"(?![\w])", text):
                    cands.append((m, group))
        if not cands:
            return None
        m, group = self.rng.choice(cands)
        new = self.rng.choice([g for g in group if g != m.group(0)] + ["bogus"])
        return replace_span(text, m.start(), m.end(), new)

    def axes(self, text):
        m = pick_match(self.rng, re.compile(r"<(sequential|interleaved|custom) \[([^\]]*)\]( per_axis)?>"), text)
        if not m:
            # Add an axis map to a rope.rotate.
            t = self._rope_arrow(text)
            if t is None:
                return None
            start, arrow = t
            amap = self.rng.choice(["<sequential [16, 24, 24]>", "<interleaved [24, 20, 20]>",
                                    "<custom [0, 1, 0, 1]>", "<sequential [2, 2] per_axis>",
                                    "<sequential [1]>", "<custom [0]>", "<interleaved [1, 1, 1]>"])
            return text[:arrow] + " axes = " + amap + " " + text[arrow:]
        kind, vals, per = m.group(1), [v.strip() for v in m.group(2).split(",") if v.strip()], m.group(3) or ""
        r = self.rng.random()
        if r < 0.3 and vals:
            vals[self.rng.randrange(len(vals))] = self.rng.choice(INT_EDGES)
        elif r < 0.45:
            vals.append(self.rng.choice(vals + INT_EDGES[:6]) if vals else "1")
        elif r < 0.6 and vals:
            vals.pop(self.rng.randrange(len(vals)))
        elif r < 0.75:
            per = "" if per else " per_axis"
        elif r < 0.9:
            kind = self.rng.choice(["sequential", "interleaved", "custom"])
        else:
            n = self.rng.choice([1, 2, 3, 64, 200, 32769])
            vals = [str(self.rng.randrange(3)) for _ in range(n)]
        return replace_span(text, m.start(), m.end(), "<%s [%s]%s>" % (kind, ", ".join(vals), per))

    def _rope_arrow(self, text):
        """(op start, offset of the '->' of a random rope op)."""
        ms = list(re.finditer(r"rope\.rotate(_with_tables)?\s", text))
        if not ms:
            return None
        m = self.rng.choice(ms)
        arrow = text.find("->", m.end())
        if arrow < 0:
            return None
        return m.start(), arrow

    def operand_lists(self, text):
        m = pick_match(self.rng, re.compile(r"\b(ins|outs|positions|cos|sin)\(([^:()]*):([^()]*(?:\([^()]*\))?[^()]*)\)"), text)
        if not m:
            return None
        vals = [v.strip() for v in m.group(2).split(",") if v.strip()]
        types = split_types(m.group(3))
        r = self.rng.random()
        n = len(vals)
        if r < 0.3 and n > 0:
            i = self.rng.randrange(n)
            vals.pop(i)
            if len(types) > i and self.rng.random() < 0.85:
                types.pop(i)
        elif r < 0.6 and n > 0:
            i = self.rng.randrange(n)
            vals.append(vals[i])
            if len(types) > i and self.rng.random() < 0.85:
                types.append(types[i])
        elif r < 0.75 and n > 0:
            # Another value of the function in place of this one.
            others = re.findall(r"%[\w$.-]+(?:#\d+)?", text)
            vals[self.rng.randrange(n)] = self.rng.choice(others)
        elif r < 0.85 and m.group(1) == "ins":
            return replace_span(text, m.start(), m.end(), "")
        else:
            # Swap two operand lists' contents (ins <-> outs etc.).
            m2 = pick_match(self.rng, re.compile(r"\b(ins|outs|positions|cos|sin)\(([^()]*)\)"), text)
            if m2 and m2.start() != m.start():
                a, b = sorted([m, m2], key=lambda x: x.start())
                ta = "%s(%s)" % (a.group(1), b.group(0)[len(b.group(1)) + 1:-1])
                tb = "%s(%s)" % (b.group(1), a.group(0)[len(a.group(1)) + 1:-1])
                return text[:a.start()] + ta + text[a.end():b.start()] + tb + text[b.end():]
            return None
        new = "%s(%s : %s)" % (m.group(1), ", ".join(vals), ", ".join(types))
        text = replace_span(text, m.start(), m.end(), new)
        if self.rng.random() < 0.5:
            text = self._fix_results(text, m.start(), len(vals) if m.group(1) in ("ins", "outs") else None, types)
        return text

    def _fix_results(self, text, pos, n, types):
        """Make the op's result list match n results of these types."""
        if not n:
            return text
        line_start = text.rfind("\n", 0, pos) + 1
        arrow = text.find("->", pos)
        if arrow < 0:
            return text
        end = text.find("\n", arrow)
        end = len(text) if end < 0 else end
        text = text[:arrow] + "-> " + ", ".join(types[:n]) + text[end:]
        mres = re.compile(r"(%[\w$.-]+)(:\d+)?(\s*=\s*rope\.)").search(text, line_start - 200 if line_start > 200 else 0)
        if mres:
            text = replace_span(text, mres.start(2) if mres.group(2) else mres.end(1),
                                mres.end(2) if mres.group(2) else mres.end(1),
                                ":%d" % n if n > 1 else "")
        return text

    def toggles(self, text):
        r = self.rng.random()
        if r < 0.3:
            if " per_axis" in text:
                return text.replace(" per_axis", "", 1)
            m = pick_match(self.rng, re.compile(r"(<(?:sequential|interleaved|custom) \[[^\]]*\])>"), text)
            return replace_span(text, m.end(1), m.end(1), " per_axis") if m else None
        if r < 0.6:
            ms = list(re.finditer(r" inverse\b", text))
            if ms:
                m = self.rng.choice(ms)
                return replace_span(text, m.start(), m.end(), "")
            t = self._rope_arrow(text)
            return None if t is None else text[:t[1]] + "inverse " + text[t[1]:]
        if r < 0.8:
            ms = list(re.finditer(r" attention_factor = \S+", text))
            if ms:
                m = self.rng.choice(ms)
                return replace_span(text, m.start(), m.end(),
                                    "" if self.rng.random() < 0.5 else
                                    " attention_factor = " + self.rng.choice(FLOAT_EDGES))
            t = self._rope_arrow(text)
            return None if t is None else text[:t[1]] + "attention_factor = %s " % self.rng.choice(FLOAT_EDGES) + text[t[1]:]
        # seq_len operand: add (with an index constant) or drop.
        ms = list(re.finditer(r" seq_len\([^()]*\)", text))
        if ms:
            m = self.rng.choice(ms)
            return replace_span(text, m.start(), m.end(), "")
        mp = pick_match(self.rng, re.compile(r"positions\([^()]*\)"), text)
        if not mp:
            return None
        line_start = text.rfind("\n", 0, mp.start()) + 1
        mo = re.compile(r"(?m)^\s*(%[\w$.-]+(?::\d+)?\s*=\s*)?rope\.rotate\b").search(text, max(0, line_start - 400))
        insert_at = text.rfind("\n", 0, mo.start() + 1) + 1 if mo and mo.start() <= mp.start() else line_start
        val = self.rng.choice(["7", "0", "-1", "9223372036854775807", "4096"])
        text = replace_span(text, mp.end(), mp.end(), " seq_len(%fz_len)")
        return text[:insert_at] + "  %%fz_len = arith.constant %s : index\n" % val + text[insert_at:]

    def scaling(self, text):
        pool = ["#rope.linear<factor = %s>" % self.rng.choice(FLOAT_EDGES),
                "#rope.yarn<factor = %s, original_max_position = %s>" % (
                    self.rng.choice(FLOAT_EDGES), self.rng.choice(INT_EDGES)),
                "#rope.yarn<factor = 3.0, original_max_position = 32768, beta_fast = %s, beta_slow = %s>" % (
                    self.rng.choice(FLOAT_EDGES), self.rng.choice(FLOAT_EDGES)),
                "#rope.llama3<factor = %s, low_freq_factor = %s, high_freq_factor = %s, original_max_position = %s>" % (
                    self.rng.choice(["8.0"] + FLOAT_EDGES), self.rng.choice(["1.0"] + FLOAT_EDGES),
                    self.rng.choice(["4.0"] + FLOAT_EDGES), self.rng.choice(["8192"] + INT_EDGES)),
                "#rope.freq_factors<[%s]>" % ", ".join(self.rng.choice(["1.0", "2.0"] + FLOAT_EDGES)
                                                      for _ in range(self.rng.choice([0, 1, 2, 4, 32, 64]))),
                "#rope.dynamic_ntk<factor = %s, original_max_position = %s>" % (
                    self.rng.choice(["2.0"] + FLOAT_EDGES), self.rng.choice(["4096"] + INT_EDGES)),
                "#rope.axes<sequential [1]>", "1.0 : f64", "#rope<layout bhsd>", "unit",
                "#rope.linear<factor = 2.0, factor = 3.0>", "#rope.yarn<original_max_position = 1>"]
        m = pick_match(self.rng, re.compile(r"scaling = (#rope\.\w+<(?:[^<>]|<[^<>]*>)*>)"), text)
        if m:
            if self.rng.random() < 0.15:
                return replace_span(text, m.start(), m.end(), "")
            return replace_span(text, m.start(1), m.end(1), self.rng.choice(pool))
        t = self._rope_arrow(text)
        if t is None or "rotate_with_tables" in text[t[0]:t[0] + 30]:
            return None
        return text[:t[1]] + "scaling = %s " % self.rng.choice(pool) + text[t[1]:]

    def op_swap(self, text):
        cands = []
        for group in ARITH_SWAPS:
            for w in group:
                for m in re.finditer(re.escape(w) + r"(?![\w])", text):
                    cands.append((m, group))
        if not cands:
            return None
        m, group = self.rng.choice(cands)
        return replace_span(text, m.start(), m.end(), self.rng.choice([g for g in group if g != m.group(0)]))

    def affine_map(self, text):
        m = pick_match(self.rng, re.compile(r"affine_map<\(([^()]*)\) -> \(([^()]*)\)>"), text)
        if not m:
            return None
        dims = [d.strip() for d in m.group(1).split(",") if d.strip()]
        res = [e.strip() for e in m.group(2).split(",") if e.strip()]
        r = self.rng.random()
        if r < 0.4 and len(res) >= 2:
            i, j = self.rng.sample(range(len(res)), 2)
            res[i], res[j] = res[j], res[i]
        elif r < 0.7 and res:
            res[self.rng.randrange(len(res))] = self.rng.choice(dims + ["0", "1", "%s * 2" % (dims[0] if dims else "0"),
                                                                        "%s floordiv 2" % (dims[-1] if dims else "0")])
        elif r < 0.85 and res:
            res.pop(self.rng.randrange(len(res)))
        else:
            res.append(self.rng.choice(dims + ["0"]))
        return replace_span(text, m.start(2), m.end(2), ", ".join(res))

    # -- generic ----------------------------------------------------------------
    def _tokens(self, text):
        return list(TOKEN_RE.finditer(text))

    def token_delete(self, text):
        toks = self._tokens(text)
        if not toks:
            return None
        t = self.rng.choice(toks)
        return replace_span(text, t.start(), t.end(), "")

    def token_dup(self, text):
        toks = self._tokens(text)
        if not toks:
            return None
        t = self.rng.choice(toks)
        return replace_span(text, t.end(), t.end(), " " + t.group(0))

    def token_swap(self, text):
        toks = self._tokens(text)
        if len(toks) < 2:
            return None
        a, b = sorted(self.rng.sample(toks, 2), key=lambda t: t.start())
        return text[:a.start()] + b.group(0) + text[a.end():b.start()] + a.group(0) + text[b.end():]

    def token_insert(self, text):
        toks = self._tokens(text)
        if not toks:
            return None
        t = self.rng.choice(toks)
        ins = self.rng.choice([tok.group(0) for tok in toks] + ["(", ")", "<", ">", "[", "]", "{", "}",
                                                                ",", ":", "=", "?", "x", "-", "0", "\""])
        return replace_span(text, t.start(), t.start(), ins + " ")

    def line_delete(self, text):
        lines = text.splitlines(True)
        if len(lines) < 2:
            return None
        del lines[self.rng.randrange(len(lines))]
        return "".join(lines)

    def line_dup(self, text):
        lines = text.splitlines(True)
        if not lines:
            return None
        i = self.rng.randrange(len(lines))
        lines.insert(self.rng.randrange(len(lines) + 1), lines[i])
        return "".join(lines)

    def line_splice(self, text):
        other = self.pool()
        if not other:
            return None
        olines = other.splitlines(True)
        lines = text.splitlines(True)
        if not olines or not lines:
            return None
        i = self.rng.randrange(len(olines))
        k = self.rng.choice([1, 1, 2, 3])
        chunk = olines[i:i + k]
        at = self.rng.randrange(len(lines) + 1)
        if self.rng.random() < 0.5 and at < len(lines):
            lines[at:at + len(chunk)] = chunk
        else:
            lines[at:at] = chunk
        return "".join(lines)


def split_types(text):
    """Split a comma-separated type list at depth 0."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


# ---------------------------------------------------------------------------
# Minimizer
# ---------------------------------------------------------------------------

STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')
RESULT_RE = re.compile(r'^\s*(%[\w$.-]+)(?::(\d+))? = "')


def _delta(line):
    s = STRING_RE.sub('""', line)
    return s.count("{") - s.count("}")


def _units(lines, lo, hi):
    """(start, end) line ranges of the ops in lines[lo:hi] at lo's nesting level."""
    units, i = [], lo
    while i < hi:
        depth, j = _delta(lines[i]), i + 1
        while depth > 0 and j < hi:
            depth += _delta(lines[j])
            j += 1
        units.append((i, j))
        i = j
    return units


def _scan_balanced(s, i):
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c in "(<[{":
            depth += 1
        elif c in ")]}" or (c == ">" and s[j - 1] != "-"):
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j


def _scan_type(s, i):
    if i < len(s) and s[i] == "(":
        j = _scan_balanced(s, i)
        if s.startswith(" -> ", j):
            return _scan_type(s, j + 4)
        return j
    depth, j = 0, i
    while j < len(s):
        c = s[j]
        if c in "<([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif c == ">" and s[j - 1] != "-":
            depth -= 1
        elif depth == 0 and c in ", ":
            break
        j += 1
    return j


def _result_types(last_line):
    k = last_line.rfind(" : (")
    if k < 0:
        return None
    j = _scan_balanced(last_line, k + 3)
    if not last_line.startswith(" -> ", j):
        return None
    res = last_line[j + 4:].strip()
    if res.startswith("(") and res.endswith(")"):
        return split_types(res[1:-1])
    return [res]


def _function_type(header):
    """(start, end, inputs, results) of the function_type in a generic func header."""
    k = header.find("function_type = (")
    if k < 0:
        return None
    i = k + len("function_type = ")
    j = _scan_balanced(header, i)
    inputs = split_types(header[i + 1:j - 1])
    if not header.startswith(" -> ", j):
        return None
    r0 = j + 4
    r1 = _scan_type(header, r0)
    rtext = header[r0:r1]
    results = split_types(rtext[1:-1]) if rtext.startswith("(") else [rtext]
    return i, r1, inputs, results


def _fmt_results(results):
    if len(results) == 1 and not results[0].startswith("("):
        return results[0]
    return "(" + ", ".join(results) + ")"


class GenericModule:
    """A module in MLIR's generic form, one op per line (regions span lines)."""

    def __init__(self, text):
        self.lines = text.splitlines()

    def text(self):
        return "\n".join(self.lines) + "\n"

    def functions(self):
        """Line ranges of the module's functions (attribute aliases before
        the module and resources after it stay as they are)."""
        starts = [i for i, l in enumerate(self.lines) if l.startswith('"builtin.module"() ({')]
        if not starts:
            return []
        m0 = starts[0]
        _, m1 = _units(self.lines, m0, len(self.lines))[0]
        return [(s, e) for s, e in _units(self.lines, m0 + 1, m1 - 1)
                if '"func.func"()' in self.lines[s] and e - s >= 2]

    def drop_unused_arguments(self, func_index):
        """Entry block arguments that nothing uses, out of the signature."""
        func = self.functions()[func_index]
        s, e = func
        label = self.lines[s + 1]
        m = re.match(r"^(\s*\^bb0\()(.*)(\):)\s*$", label)
        ft = _function_type(self.lines[s])
        if not m or not ft or "arg_attrs" in self.lines[s]:
            return False
        args = split_types(m.group(2))
        i, j, inputs, results = ft
        if len(args) != len(inputs):
            return False
        keep = []
        for k, a in enumerate(args):
            name = a.split(":")[0].strip()
            if self.used(func, name, (s + 1, s + 2)):
                keep.append(k)
        if len(keep) == len(args):
            return False
        h = self.lines[s]
        self.lines[s] = h[:i] + "(" + ", ".join(inputs[k] for k in keep) + ") -> " + \
            _fmt_results(results) + h[j:]
        self.lines[s + 1] = m.group(1) + ", ".join(args[k] for k in keep) + m.group(3)
        return True

    def body(self, func):
        s, e = func
        lo = s + 1
        if lo < e - 1 and self.lines[lo].lstrip().startswith("^bb0"):
            lo += 1
        return lo, e - 1

    def ops(self, func):
        lo, hi = self.body(func)
        return [(a, b) for a, b in _units(self.lines, lo, hi)
                if not self.lines[a].lstrip().startswith("^")]

    def results(self, unit):
        a, b = unit
        m = RESULT_RE.match(self.lines[a])
        if not m:
            return None, None, []
        types = _result_types(self.lines[b - 1]) or []
        return m.group(1), int(m.group(2) or 1), types

    def used(self, func, name, exclude):
        s, e = func
        rx = re.compile(re.escape(name) + r"(?![\w$.-])")
        for i in range(s + 1, e):
            if exclude[0] <= i < exclude[1]:
                continue
            if rx.search(STRING_RE.sub('""', self.lines[i])):
                return True
        return False

    def dce(self, func_index):
        changed = True
        while changed:
            changed = False
            func = self.functions()[func_index]
            for unit in reversed(self.ops(func)):
                name, _, _ = self.results(unit)
                if name and not self.used(func, name, unit) and '"func.return"' not in self.lines[unit[0]]:
                    del self.lines[unit[0]:unit[1]]
                    changed = True
                    break

    def return_value(self, func_index, unit, k):
        """Make the function return result k of unit (and nothing else)."""
        func = self.functions()[func_index]
        name, count, types = self.results(unit)
        if not name or k >= len(types):
            return False
        value = name if count == 1 else "%s#%d" % (name, k)
        ret = [u for u in self.ops(func) if '"func.return"(' in self.lines[u[0]]]
        ft = _function_type(self.lines[func[0]])
        if not ret or not ft:
            return False
        a, _ = ret[-1]
        indent = self.lines[a][:len(self.lines[a]) - len(self.lines[a].lstrip())]
        self.lines[a] = '%s"func.return"(%s) : (%s) -> ()' % (indent, value, types[k])
        i, j, inputs, _ = ft
        h = self.lines[func[0]]
        self.lines[func[0]] = h[:i] + "(" + ", ".join(inputs) + ") -> " + types[k] + h[j:]
        return True

    def value_to_argument(self, func_index, unit, fresh):
        func = self.functions()[func_index]
        name, count, types = self.results(unit)
        if not name or count != 1 or len(types) != 1:
            return False
        ft = _function_type(self.lines[func[0]])
        if not ft:
            return False
        s, e = func
        rx = re.compile(re.escape(name) + r"(?![\w$.-])")
        for i in range(s + 1, e):
            if unit[0] <= i < unit[1]:
                continue
            self.lines[i] = rx.sub(fresh, self.lines[i])
        i, j, inputs, results = ft
        h = self.lines[s]
        self.lines[s] = h[:i] + "(" + ", ".join(inputs + [types[0]]) + ") -> " + _fmt_results(results) + h[j:]
        label = self.lines[s + 1]
        if label.lstrip().startswith("^bb0("):
            k = label.rfind("):")
            self.lines[s + 1] = label[:k] + ", %s: %s" % (fresh, types[0]) + label[k:]
        elif label.lstrip().startswith("^bb0"):
            self.lines[s + 1] = label.replace("^bb0", "^bb0(%s: %s)" % (fresh, types[0]), 1)
        else:
            self.lines.insert(s + 1, "  ^bb0(%s: %s):" % (fresh, types[0]))
        return True


class Minimizer:
    """Shrinks an input while a predicate (same finding) holds: dead ops and
    whole functions away, the function cut to return an earlier value or to
    take a later one as an argument (on the generic form), then lines and
    tokens; printed back in the custom form when that still reproduces."""

    def __init__(self, still_fails, deadline, runner=None):
        self.still_fails = still_fails
        self.deadline = deadline
        self.runner = runner
        self.cache = {}

    def expired(self):
        return time.monotonic() > self.deadline

    def test(self, candidate):
        if self.expired():
            return False
        h = hashlib.sha1(candidate.encode()).hexdigest()
        if h not in self.cache:
            self.cache[h] = self.still_fails(candidate)
        return self.cache[h]

    def ddmin(self, units, join):
        n = 2
        while len(units) >= 2 and not self.expired():
            chunk = max(1, len(units) // n)
            removed = False
            i = 0
            while i < len(units) and not self.expired():
                cand = units[:i] + units[i + chunk:]
                if cand and self.test(join(cand)):
                    units = cand
                    removed = True
                else:
                    i += chunk
            if not removed:
                if chunk == 1:
                    break
                n = min(len(units), n * 2)
        return units

    def lines(self, text):
        return "".join(self.ddmin(text.splitlines(True), "".join))

    def tokens(self, text):
        units, pos = [], 0
        for m in TOKEN_RE.finditer(text):
            units.append(text[pos:m.end()])
            pos = m.end()
        tail = text[pos:]
        return "".join(self.ddmin(units, lambda u: "".join(u) + tail)) + tail

    def _print(self, text, generic):
        if not self.runner:
            return None
        res = self.runner.run(["--mlir-print-op-generic"] if generic else [], text, "min.mlir")
        if res.rc != 0 or crash_kind(res) or error_lines(res.stderr):
            return None
        return res.stdout

    def generic_passes(self, text):
        mod = GenericModule(text)
        # Whole functions, then each function's ops.
        funcs = mod.functions()
        if len(funcs) > 1:
            keep = self.ddmin(list(range(len(funcs))), lambda idx: self._keep_functions(mod, idx))
            mod = GenericModule(self._keep_functions(mod, keep))
        for fi in range(len(mod.functions())):
            cand = GenericModule(mod.text())
            if cand.drop_unused_arguments(fi) and self.test(cand.text()):
                mod = cand
            # Return an earlier value: everything after it dies.
            for unit in list(mod.ops(mod.functions()[fi])):
                if self.expired():
                    break
                name, count, types = mod.results(unit)
                if not name:
                    continue
                done = False
                for k in range(len(types)):
                    cand = GenericModule(mod.text())
                    if cand.return_value(fi, unit, k):
                        cand.dce(fi)
                        if len(cand.text()) < len(mod.text()) and self.test(cand.text()):
                            mod, done = cand, True
                            break
                if done:
                    break
            # Take a later value as an argument: what computes it dies.
            fresh = 0
            changed = True
            while changed and not self.expired():
                changed = False
                for unit in reversed(mod.ops(mod.functions()[fi])):
                    if self.expired():
                        break
                    if '"arith.constant"' in mod.lines[unit[0]] or '"func.return"' in mod.lines[unit[0]]:
                        continue
                    cand = GenericModule(mod.text())
                    if not cand.value_to_argument(fi, unit, "%%fz%d" % fresh):
                        continue
                    cand.dce(fi)
                    if len(cand.text()) < len(mod.text()) and self.test(cand.text()):
                        mod, changed = cand, True
                        fresh += 1
                        break
            cand = GenericModule(mod.text())
            if cand.drop_unused_arguments(fi) and self.test(cand.text()):
                mod = cand
            func = mod.functions()[fi]
            ops = [u for u in mod.ops(func) if '"func.return"' not in mod.lines[u[0]]]
            if len(ops) > 1:
                keep = self.ddmin(ops, lambda us, m=mod, f=func: self._keep_ops(m, f, us))
                mod = GenericModule(self._keep_ops(mod, func, keep))
        return mod.text()

    @staticmethod
    def _keep_functions(mod, keep):
        funcs = mod.functions()
        drop = set()
        for i, (s, e) in enumerate(funcs):
            if i not in keep:
                drop.update(range(s, e))
        return "\n".join(l for i, l in enumerate(mod.lines) if i not in drop) + "\n"

    @staticmethod
    def _keep_ops(mod, func, keep):
        keep_lines = set()
        for a, b in keep:
            keep_lines.update(range(a, b))
        drop = set()
        for a, b in mod.ops(func):
            if (a, b) not in keep and '"func.return"' not in mod.lines[a]:
                drop.update(range(a, b))
        return "\n".join(l for i, l in enumerate(mod.lines) if i not in drop) + "\n"

    def run(self, text):
        text = self.lines(text)
        generic = self._print(text, generic=True)
        if generic and self.test(generic):
            g = self.generic_passes(generic)
            g = self.lines(g)
            pretty = self._print(g, generic=False)
            text = pretty if pretty and self.test(pretty) else g
            text = self.lines(text)
        text = self.tokens(text)
        tidy = re.sub(r"\n\s*\n", "\n", text)
        if tidy != text and self.test(tidy):
            text = tidy
        return text


def minimize(text, still_fails, deadline, runner=None):
    return Minimizer(still_fails, deadline, runner).run(text)


# ---------------------------------------------------------------------------
# Fuzzing
# ---------------------------------------------------------------------------

def invocations_for(extra):
    return INVOCATIONS + ([extra] if extra else [])


def run_all(checker, text, extra=None, want_novelty=None):
    """All findings of one input over every invocation; and whether it parsed."""
    findings = []
    pf, pres = checker.check("parse", [], text)
    findings += pf
    novelty = set()
    if want_novelty is not None:
        novelty.add(("parse", pres.rc, normalize_message(first_error(pres.stderr) or "")))
    if pres.rc != 0 or any(f.kind in ("crash", "hang", "memory") for f in pf):
        return findings, False, novelty
    for name, args in PASS_INVOCATIONS + ([extra] if extra else []):
        fs, res = checker.check(name, args, text)
        findings += fs
        if want_novelty is not None:
            novelty.add((name, res.rc, normalize_message(first_error(res.stderr) or "")))
    return findings, True, novelty


def reproduces(checker, finding, text):
    """The finding of text with finding's signature, or None."""
    fs, _ = checker.check(finding.inv_name, finding.inv_args, text)
    return next((f for f in fs if f.signature == finding.signature), None)


def command_line(binary, finding, path):
    args = [binary, path] + COMMON + finding.inv_args
    q = " ".join(shlex_quote(a) for a in args)
    if finding.kind == "round-trip" and finding.inv_name == "parse":
        q = ("%s | %s -   # and: %s --mlir-print-op-generic | %s -   (each must print what the first did)"
             % (q, binary, " ".join(shlex_quote(a) for a in [binary, path] + COMMON), binary))
    if finding.kind == "verifier-gap":
        q += "   # compare: the same with --verify-each=false --mlir-print-ir-after-failure"
    return q


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


REG_FIELDS = ("KIND", "ORIGIN", "INVOCATION", "ARGS", "SIGNATURE", "DETAIL")


def regression_text(finding, text):
    head = [
        "// FUZZ-KIND: %s" % finding.kind,
        "// FUZZ-ORIGIN: %s%s" % (finding.origin, (" (%s)" % finding.known) if finding.known else ""),
        "// FUZZ-INVOCATION: %s" % finding.inv_name,
        "// FUZZ-ARGS: %s" % json.dumps(finding.inv_args),
        "// FUZZ-SIGNATURE: %s" % finding.signature.replace("\n", " "),
        "// FUZZ-DETAIL: %s" % finding.detail.replace("\n", " ")[:300],
    ]
    for i, fr in enumerate(finding.stack_top[:4]):
        head.append("// FUZZ-STACK-%d: %s" % (i, fr))
    return "\n".join(head) + "\n" + text


def read_regression(path):
    """(header fields, the input without its header)."""
    with open(path) as f:
        text = f.read()
    meta, body = {}, []
    for line in text.splitlines(True):
        m = re.match(r"^// FUZZ-([A-Z0-9-]+): (.*)$", line)
        if m:
            meta[m.group(1)] = m.group(2).rstrip("\n")
        else:
            body.append(line)
    return meta, "".join(body)


def file_name_for(finding):
    h = hashlib.sha1(finding.signature.encode()).hexdigest()[:10]
    return "%s-%s-%s" % (finding.kind, finding.inv_name.replace("/", "_"), h)


class Store:
    def __init__(self, out, binary, known_sigs):
        self.out = out
        self.binary = binary
        self.known = known_sigs  # signature -> regression file
        self.findings = {}  # signature -> (finding, text, count)
        os.makedirs(os.path.join(out, "findings"), exist_ok=True)

    def add(self, finding, text):
        if finding.signature in self.findings:
            f, t, c = self.findings[finding.signature]
            self.findings[finding.signature] = (f, t, c + 1)
            return False
        self.findings[finding.signature] = (finding, text, 1)
        d = os.path.join(self.out, "findings", file_name_for(finding))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "input.mlir"), "w") as f:
            f.write(text)
        self.write_meta(d, finding, "input.mlir")
        return True

    def write_meta(self, d, finding, name):
        with open(os.path.join(d, "command.txt"), "w") as f:
            f.write(command_line(self.binary, finding, os.path.join(d, name)) + "\n")
        with open(os.path.join(d, "stderr.txt"), "w") as f:
            f.write(finding.stderr[-200000:])
        with open(os.path.join(d, "info.json"), "w") as f:
            json.dump({"kind": finding.kind, "signature": finding.signature, "origin": finding.origin,
                       "known_upstream": finding.known, "invocation": finding.inv_name,
                       "args": finding.inv_args, "detail": finding.detail,
                       "stack_top": finding.stack_top, "pass": finding.pass_name,
                       "recorded_in": self.known.get(finding.signature, "")}, f, indent=1)


def load_known(regdir):
    known = {}
    if regdir and os.path.isdir(regdir):
        for name in sorted(os.listdir(regdir)):
            if name.endswith(".mlir"):
                meta, _ = read_regression(os.path.join(regdir, name))
                if "SIGNATURE" in meta:
                    known[meta["SIGNATURE"]] = name
    return known


def fuzz(args):
    rng = random.Random(args.seed)
    binary = os.path.abspath(args.rope_opt) if os.path.exists(args.rope_opt) else shutil.which(args.rope_opt)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="work-", dir=args.out)
    runner = Runner(binary, args.timeout, args.mem_mb, work)
    checker = Checker(runner)
    known = load_known(args.regressions)
    store = Store(args.out, binary, known)
    seed_dirs = args.seeds or [os.path.join(ROOT, "test"), os.path.join(ROOT, "examples")]
    seeds = load_seeds(seed_dirs)
    print("fuzz: %s (%s), %d seed pieces, seed %d, %d s" % (
        binary, "sanitized" if runner.sanitized else "plain", len(seeds), args.seed, args.seconds),
        flush=True)
    # Seed state: None = not run yet, True = parses, False = does not.
    valid = {name: None for name, _ in seeds}
    texts = dict(seeds)
    corpus = []  # mutants that showed a new diagnostic
    seen_novelty = set()
    deadline = time.monotonic() + args.seconds
    order = [name for name, _ in seeds]
    rng.shuffle(order)
    stats = {"inputs": 0, "valid": 0, "generated": 0, "mutants": 0}

    def other_text():
        return texts[rng.choice(order)]

    mut = Mutator(rng, other_text)
    last_report = time.monotonic()
    while time.monotonic() < deadline:
        extra = random_extra_invocation(rng)
        unrun = [n for n in order if valid[n] is None]
        origin_name = ""
        if unrun and rng.random() < 0.3:
            origin_name = unrun[0]
            text = texts[origin_name]
        else:
            r = rng.random()
            if r < 0.2:
                base = gen_rope(rng)
                stats["generated"] += 1
                origin_name = "generated"
            elif r < 0.45 and corpus:
                base = rng.choice(corpus)
                origin_name = "corpus"
            else:
                weights = [3 if valid[n] else (1 if valid[n] is False else 2) for n in order]
                origin_name = rng.choices(order, weights)[0]
                base = texts[origin_name]
            n = rng.choice([0, 1, 1, 1, 2, 2, 3, 4]) if origin_name == "generated" else \
                rng.choice([1, 1, 1, 2, 2, 3])
            text, _ = mut.mutate(base, n)
            stats["mutants"] += 1
        stats["inputs"] += 1
        findings, ok, novelty = run_all(checker, text, extra, want_novelty=True)
        if origin_name in valid and valid[origin_name] is None:
            valid[origin_name] = ok
        stats["valid"] += ok
        new_keys = novelty - seen_novelty
        seen_novelty |= new_keys
        # Inputs that parse and showed something new are kept for mutation;
        # of the rest (every new parse error is new) only a few, or the
        # corpus fills with text that never reaches a pass.
        if new_keys and (ok or rng.random() < 0.1):
            if len(corpus) < 3000:
                corpus.append(text)
            else:
                corpus[rng.randrange(len(corpus))] = text
        for f in findings:
            if store.add(f, text):
                tag = " (recorded: %s)" % known[f.signature] if f.signature in known else ""
                print("  NEW %-14s %-15s %-12s %s%s" % (f.kind, f.origin, f.inv_name, f.signature[:150], tag),
                      flush=True)
        if time.monotonic() - last_report > 60:
            last_report = time.monotonic()
            print("  ... %d inputs (%d valid), %d rope-opt runs, %d findings" % (
                stats["inputs"], stats["valid"], runner.count, len(store.findings)), flush=True)

    # Minimize new findings within the minimization budget.
    # Ours first; whatever the budget leaves unminimized is kept as found.
    min_deadline = time.monotonic() + args.minimize_total
    for sig, (f, text, count) in sorted(store.findings.items(), key=lambda kv: kv[1][0].origin != "ours"):
        if sig in known:
            continue
        if args.minimize_total <= 0 or time.monotonic() > min_deadline:
            if args.save_regressions:
                save_regression(args.save_regressions, f, text)
            continue
        d = os.path.join(args.out, "findings", file_name_for(f))
        small = minimize(text, lambda t: reproduces(checker, f, t) is not None,
                         min(min_deadline, time.monotonic() + args.minimize_seconds), runner)
        # The smaller input may show better whose it is (no rope op left).
        again = reproduces(checker, f, small)
        if again:
            f.origin, f.known, f.stack_top = again.origin, again.known, again.stack_top or f.stack_top
        with open(os.path.join(d, "minimized.mlir"), "w") as fh:
            fh.write(small)
        store.write_meta(d, f, "minimized.mlir")
        if args.save_regressions:
            save_regression(args.save_regressions, f, small)
    summarize(store, stats, runner, args.out, known)
    shutil.rmtree(work, ignore_errors=True)
    bad = [f for f, _, _ in store.findings.values() if f.origin == "ours" and f.signature not in known]
    if bad:
        print("fuzz: %d new finding(s) in our code (see %s/summary.md)" % (len(bad), args.out))
        return 1
    print("fuzz: no new finding in our code")
    return 0


def save_regression(regdir, finding, text):
    os.makedirs(regdir, exist_ok=True)
    path = os.path.join(regdir, file_name_for(finding) + ".mlir")
    with open(path, "w") as fh:
        fh.write(regression_text(finding, text))
    return path


def summarize(store, stats, runner, out, known):
    rows = sorted(store.findings.values(), key=lambda x: (x[0].origin != "ours", x[0].kind, x[0].signature))
    lines = ["# rope-opt fuzzing summary", "",
             "binary: %s (%s); %d inputs (%d parsed), %d generated, %d rope-opt runs" % (
                 runner.binary, "sanitized" if runner.sanitized else "plain", stats["inputs"],
                 stats["valid"], stats["generated"], runner.count), "",
             "| origin | kind | invocation | signature | hits | detail | stack top | dir |",
             "|---|---|---|---|---|---|---|---|"]
    for f, text, count in rows:
        origin = f.origin + (" (%s)" % f.known if f.known else "")
        if f.signature in known:
            origin += ", recorded in " + known[f.signature]
        lines.append("| %s | %s | %s | `%s` | %d | %s | %s | findings/%s |" % (
            origin, f.kind, f.inv_name, f.signature.replace("|", "\\|")[:200], count,
            f.detail.replace("|", "\\|").replace("\n", " ")[:200],
            "<br>".join(s.replace("|", "\\|") for s in f.stack_top[:3]), file_name_for(f)))
    with open(os.path.join(out, "summary.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "summary.json"), "w") as fh:
        json.dump({"stats": stats, "runs": runner.count, "findings": [
            {"kind": f.kind, "origin": f.origin, "known_upstream": f.known, "invocation": f.inv_name,
             "args": f.inv_args, "signature": f.signature, "detail": f.detail, "stack_top": f.stack_top,
             "hits": c, "dir": "findings/" + file_name_for(f), "recorded_in": known.get(f.signature, "")}
            for f, _, c in rows]}, fh, indent=1)
    print("fuzz: %d inputs (%d parsed), %d runs, %d distinct findings" % (
        stats["inputs"], stats["valid"], runner.count, len(rows)))
    for f, _, c in rows:
        print("  %-14s %-15s %-12s %s" % (f.origin, f.kind, f.inv_name, f.signature[:160]))
        if f.origin != "ours" and f.stack_top:
            print("      stack top: %s" % " < ".join(f.stack_top[:3]))


def replay(args):
    binary = os.path.abspath(args.rope_opt) if os.path.exists(args.rope_opt) else shutil.which(args.rope_opt)
    work = tempfile.mkdtemp(prefix="fuzz-replay-")
    runner = Runner(binary, args.timeout, args.mem_mb, work)
    checker = Checker(runner)
    paths = []
    for p in args.replay:
        if os.path.isdir(p):
            paths += [os.path.join(p, n) for n in sorted(os.listdir(p)) if n.endswith(".mlir")]
        else:
            paths.append(p)
    failures = 0
    for path in paths:
        meta, text = read_regression(path)
        extra = None
        try:
            rec_args = json.loads(meta.get("ARGS", "[]"))
        except ValueError:
            rec_args = []
        if rec_args and rec_args not in [a for _, a in INVOCATIONS]:
            extra = (meta.get("INVOCATION", "recorded"), rec_args)
        findings, _, _ = run_all(checker, text, extra)
        # A round trip is checked on parse; a recorded invocation reruns too
        # when the input does not parse (its finding may be in the parser).
        ours = [f for f in findings if f.origin == "ours"]
        others = [f for f in findings if f.origin != "ours"]
        name = os.path.relpath(path)
        if ours:
            failures += 1
            for f in ours:
                print("FAIL %s: %s in %s: %s" % (name, f.kind, f.inv_name, f.signature))
                print("     %s" % f.detail[:300])
        else:
            print("ok   %s" % name)
            for f in others:
                print("     %s%s: %s in %s: %s" % (f.origin, " (%s)" % f.known if f.known else "",
                                                   f.kind, f.inv_name, f.signature[:140]))
    shutil.rmtree(work, ignore_errors=True)
    print("replay: %d input(s), %d with findings in our code, %d rope-opt runs" % (
        len(paths), failures, runner.count))
    return 1 if failures else 0


def minimize_file(args):
    binary = os.path.abspath(args.rope_opt) if os.path.exists(args.rope_opt) else shutil.which(args.rope_opt)
    work = tempfile.mkdtemp(prefix="fuzz-min-")
    runner = Runner(binary, args.timeout, args.mem_mb, work)
    checker = Checker(runner)
    if os.path.isdir(args.minimize):
        # A finding directory of a fuzz run.
        with open(os.path.join(args.minimize, "info.json")) as fh:
            info = json.load(fh)
        with open(os.path.join(args.minimize, "input.mlir")) as fh:
            text = fh.read()
        meta = {"ARGS": json.dumps(info["args"]), "INVOCATION": info["invocation"]}
        args.signature = args.signature or info["signature"]
    else:
        meta, text = read_regression(args.minimize)
    text = "\n".join(l for l in text.splitlines() if not l.startswith("// FUZZ-")) + "\n"
    extra = None
    if meta.get("ARGS"):
        rec = json.loads(meta["ARGS"])
        if rec not in [a for _, a in INVOCATIONS]:
            extra = (meta.get("INVOCATION", "recorded"), rec)
    findings, _, _ = run_all(checker, text, extra)
    if args.signature:
        same = [f for f in findings if f.signature == args.signature]
        # A signature recorded by another binary or an older fuzz.py: the
        # same invocation will do.
        findings = same or [f for f in findings if f.inv_name == meta.get("INVOCATION")] or findings
    seen = set()
    rc = 1
    for f in findings:
        if f.signature in seen:
            continue
        seen.add(f.signature)
        rc = 0
        small = minimize(text, lambda t: reproduces(checker, f, t) is not None,
                         time.monotonic() + args.minimize_seconds, runner)
        again = reproduces(checker, f, small)
        if again:
            f.origin, f.known, f.stack_top = again.origin, again.known, again.stack_top or f.stack_top
        print("== %s %s %s (%s)" % (f.origin, f.kind, f.inv_name, f.signature))
        print(small)
        if args.save_regression:
            print("saved", save_regression(args.save_regression, f, small))
    shutil.rmtree(work, ignore_errors=True)
    if rc:
        print("minimize: nothing found")
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rope-opt", default=os.path.join(ROOT, "build", "bin", "rope-opt"))
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--out", default=None, help="output directory (fuzz mode)")
    ap.add_argument("--timeout", type=float, default=20, help="seconds per rope-opt run")
    ap.add_argument("--mem-mb", type=int, default=4096, help="memory guard per run (MiB)")
    ap.add_argument("--seeds", nargs="*", help="seed directories (default: test/ and examples/)")
    ap.add_argument("--regressions", default=os.path.join(HERE, "regressions"),
                    help="recorded inputs: their signatures are not new findings")
    ap.add_argument("--minimize-seconds", type=float, default=60, help="per finding")
    ap.add_argument("--minimize-total", type=float, default=300, help="for all findings of a run")
    ap.add_argument("--save-regressions", default=None,
                    help="fuzz mode: also write minimized findings here")
    ap.add_argument("--replay", nargs="+", help="replay inputs (files or directories)")
    ap.add_argument("--minimize", help="minimize the findings of this input")
    ap.add_argument("--signature", help="with --minimize: only this signature")
    ap.add_argument("--save-regression", help="with --minimize: keep the result in this directory")
    args = ap.parse_args()
    if args.replay:
        return replay(args)
    if args.minimize:
        return minimize_file(args)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 31)
    if args.out is None:
        args.out = tempfile.mkdtemp(prefix="fuzz-")
    return fuzz(args)


if __name__ == "__main__":
    sys.exit(main())
