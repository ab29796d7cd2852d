//===- Passes.td - X86 code generation (AVX-512, AVX512-BF16, streaming stores) -*- tablegen -*-===//

#ifndef ROPE_TARGET_X86_PASSES_TD
#define ROPE_TARGET_X86_PASSES_TD

include "mlir/Pass/PassBase.td"

def RopeAvx512Bf16SumOfSquares : Pass<"rope-x86-avx512bf16-sum-of-squares"> {
  let summary = "Sums of squares of bf16 rows as AVX512-BF16 dot products (vdpbf16ps)";
  let description = [{
    For x86 CPUs with AVX512-BF16. Rewrites `vector.reduction <add>` with
    the `reassoc` flag of `arith.mulf %w, %w` where `%w = arith.extf %x`
    of a 1-D bf16 vector whose size is a multiple of 32 (an RMSNorm's sum
    of squares, as `rope-codegen-approximate-math` leaves it), or of a static row
    (`vector.extract`) of such a square of an n-D vector (a tile of several
    heads), into
    `llvm.x86.avx512bf16.dpbf16ps.512` calls on `%x` itself, 32 elements
    each, into two 16-lane f32 accumulators, then the reduction of their
    sum. A fused bf16 QK-norm row of 128 then takes 4 dot products instead
    of 8 widening loads, 8 shifts, 8 multiplies and 7 adds. The square of a
    bf16 of magnitude between 2^-63 and 2^64 is exact in f32, so there only
    the order of the additions changes, which `reassoc` allows. Like every
    AVX512-BF16 instruction it flushes denormals (inputs and the 16 lanes'
    partial sums): squares below 2^-126 and partial sums that fall below it
    count as zero, a change below N x 2^-126 in a sum of N squares (2^-119
    for 128), where an RMSNorm adds eps (1e-6) anyway. A masked reduction
    is left alone. Run after `rope-codegen-approximate-math`
    (which makes `math.fpowi %w, 2` a multiply); `--rope-cpu-pipeline` adds
    it with `cpu-features=host` on such a CPU, or `+avx512bf16`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect"];
}

def RopeAvx512Bf16TruncF : Pass<"rope-x86-avx512bf16-truncf"> {
  let summary = "Round f32 vectors to bf16 two AVX-512 registers at a time (vcvtne2ps2bf16)";
  let description = [{
    For x86 CPUs with AVX512-BF16. Rewrites `arith.truncf` from f32 to bf16
    vectors whose innermost size is a multiple of 32 (rounding to nearest
    even, the default) into `llvm.x86.avx512bf16.cvtne2ps2bf16.512` calls,
    each rounding 32 values from two 16-lane registers into one. LLVM's X86
    backend lowers a 32-lane truncf to two `vcvtneps2bf16` and a
    `vinsertf64x4`, five vector uops where the packed form takes two; in a
    bf16 rotation those conversions were a quarter of the per-head work.
    Both instructions round to nearest even, quiet NaNs the same way and
    treat f32 denormal inputs (below 2^-126 in magnitude) as zero, so the
    bits are those of LLVM's own lowering on these CPUs; unlike IEEE
    `truncf`, a result that small becomes a signed zero rather than a bf16
    denormal. Runs on vectors after `convert-vector-to-scf`;
    `--rope-cpu-pipeline="cpu-features=host"` (or `+avx512bf16`) adds it.
    The LLVM IR it produces needs a target with AVX512-BF16 (clang
    `-march=native` on such a CPU, or `-mavx512bf16`).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect", "::mlir::ub::UBDialect"];
}

def RopeX86NontemporalVectorStores : Pass<"rope-x86-nontemporal-vector-stores"> {
  let summary = "Write non-temporal bf16/f16 vector stores as (v)movntdq (x86)";
  let description = [{
    On the LLVM dialect. LLVM's X86 backend selects an ordinary `vmovaps`
    for a `!nontemporal` store of a bf16 or f16 vector (it has streaming
    store patterns for integer, f32 and f64 vectors only), and a bitcast to
    integers in between is folded away by instcombine and the DAG combiner
    alike. This pass replaces each `llvm.store {nontemporal}` of a bf16 or
    f16 vector in address space 0 by inline-asm streaming stores, one per
    register of the widest size up to `vector-bits` (16, 32 or 64 bytes)
    that the store fills whole and whose size its alignment reaches:
    `vmovntdq` when `vector-bits` is 256 or 512 (AVX, AVX-512F), `movntdq`
    when it is 128 (SSE2); its lanes are passed as i32, so
    that the register constraint needs no bf16 or f16 support; side effects
    and a memory clobber keep it in place. Neither instcombine nor the DAG
    combiner sees through inline asm. The CPU pipeline adds it when
    `cpu-features` names an x86 CPU and streaming stores are on, with the
    widest registers the features name. Other stores are left alone.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "512",
           "Register width of the streaming stores: 128 (SSE2), 256 (AVX) or 512 (AVX-512F)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def RopeX86StreamFences : Pass<"rope-x86-stream-fences"> {
  let summary = "Lower streaming-store fences to sfence (x86)";
  let description = [{
    Replaces each `rope.stream_fence` by a call of `llvm.x86.sse.sfence`.
    The portable lowering, `llvm.fence seq_cst`, is a locked instruction on
    x86 that also waits for every load in flight, and a streaming kernel
    fences every 16 tokens while the next lines are being fetched.
    Streaming stores need only be ordered before the stores that follow
    (the release of the OpenMP barrier, the caller's flag), which `sfence`
    does. For x86 targets only; the CPU pipeline runs it, after the OpenMP
    conversion, when `cpu-features` names an x86 CPU and streaming stores
    are on.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // ROPE_TARGET_X86_PASSES_TD
