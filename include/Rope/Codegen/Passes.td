//===- Passes.td - Target-neutral code generation on vectors and buffers -*- tablegen -*-===//

#ifndef ROPE_CODEGEN_PASSES_TD
#define ROPE_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def RopeVectorize : InterfacePass<"rope-codegen-vectorize", "mlir::FunctionOpInterface"> {
  let summary = "Tile linalg ops to their innermost dimension and vectorize them";
  let description = [{
    Tiles every linalg op whose innermost dimension is static to size 1 in
    its outer dimensions, keeping the trailing static dimensions whole up to
    512 elements but not past one pair row (both lanes of every pair) once
    that row fills a 512-bit register, so heads loop; vectorizes the tiles
    with `linalg::vectorize` and drops unit dimensions.
    In a function whose linalg ops have bf16 operands or results, a row
    whose innermost loop is parallel and not a power of two long is first
    split (`linalg::splitOp`) into power-of-two pieces, largest first (ViT's
    40 pairs: 32 + 8), so that the packed bf16 paths get whole 32-lane
    groups; every element is computed as before. Reads of a tensor built by
    `tensor.insert_slice` read the slice's source or the destination where
    they lie inside or outside the slice (so the pieces' reads meet the
    vectors that made them), and a read that follows a write into a slice of
    the same tensor moves before it (in place, each piece reads its lanes
    before an earlier piece writes the row: no copy of the row).
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect", "::mlir::scf::SCFDialect",
                           "::mlir::affine::AffineDialect"];
}

def RopeApproximateMath : Pass<"rope-codegen-approximate-math"> {
  let summary = "Replace math.sin/cos (and friends) by polynomial approximations";
  let description = [{
    Applies MLIR's polynomial approximations so that vector sin/cos stay
    vector code instead of becoming one libm call per lane; `math.sincos`
    (from `math-sincos-fusion`) shares one range reduction and evaluates two
    polynomials instead of four. Also simplifies powers by constants (HF
    RMSNorm's `pow(x, 2)`, a `math.fpowi` that vectorized with a vector
    exponent, which `llvm.intr.powi` cannot take) into multiplications, and
    expands any other `math.fpowi` into `math.powf`. Float sums and products
    of `vector.reduction` may reassociate (`fastmath<reassoc>`): LLVM then
    reduces a vector as a tree instead of a chain of dependent adds.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect", "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def RopePrefetch : InterfacePass<"rope-codegen-prefetch", "mlir::FunctionOpInterface"> {
  let summary = "Prefetch the rows a loop streams a fixed number of bytes ahead";
  let description = [{
    Runs on buffers after the vector transfers are unrolled to 1-D. For every
    1-D in-bounds vector read inside a loop from a contiguous view of a
    row-major function argument (whole-byte elements of the argument's own
    type), emits one `memref.prefetch` per 64-byte line of the vector,
    `distance-bytes` further on in that argument (the index clamped to its
    last element, so nothing past the buffer is named). A rotation streams
    each element once, and with per-token trig and bf16 conversions between
    its loads the core keeps fewer lines in flight than a copy does;
    prefetching a little ahead restores them (measured: in place bf16 at
    32768 tokens 18 -> 24 GB/s on one core). With `prefetch-outputs`, vector
    writes of the same form to an argument that no op of the function reads
    (out of place; none when an op's effects are unknown, such as a call)
    get write prefetches the same distance ahead: an ordinary store
    first reads its line for ownership, and this starts that read early
    (f32 out of place at 4096 tokens +13-21 %, bf16 at 32768 +3-6 %).
    Reads in a loop nest whose outermost loop also writes with non-temporal
    `vector.store`s (a streaming version from `rope-codegen-nontemporal-stores`)
    prefetch into L2 only (locality 2), leaving L1's fill buffers, which
    streaming stores also take, to those (+3-5 %). Where one loop of an
    outer iteration reads an argument's rows whole (through one static
    subview) and later loops read them again, as a norm's sum of squares
    and then its scale do, the reads of those rows prefetch a whole run of
    the first loop ahead (the next token's rows) when that is further than
    `distance-bytes`: the reduction's work sits between each prefetch and
    its use (fused QK-norm + RoPE + KV write, one thread: f32 -23 %, bf16
    -10 %). Arguments of static size up to 4 KiB (a norm's weight, read in
    every iteration) get no prefetches. Prefetches are hints: the numbers computed do not change.
  }];
  let options = [
    Option<"distanceBytes", "distance-bytes", "int64_t", "2560",
           "How far ahead of each read to prefetch, 0 to 1 GiB (0: no prefetches)">,
    Option<"prefetchOutputs", "prefetch-outputs", "bool", "true",
           "Also prefetch, for writing, the output rows of out-of-place loops">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def RopeLoopBuffersToStack : Pass<"rope-codegen-loop-buffers-to-stack"> {
  let summary = "Buffers that live within one loop iteration, allocated once on the stack";
  let description = [{
    Each `memref.alloc` of static shape, default memory space and at most
    `max-bytes` bytes that is inside a loop and freed by a `memref.dealloc`
    in its own block (so that it holds nothing from one iteration to the
    next) becomes one `memref.alloca` at the entry of the enclosing
    allocation scope (a function, an `omp.parallel` region: a buffer per
    thread), and its dealloc goes. Only through ops whose regions the same
    thread runs in sequence (scf.for, scf.while, scf.if, omp.wsloop,
    omp.loop_nest, memref.alloca_scope, ...): never out of an `scf.forall`
    or `scf.parallel` body, so run it after `convert-scf-to-openmp`. At most
    `max-scope-bytes` per scope, in program order, to bound the stack of
    OpenMP threads. In the fused QK-norm + RoPE kernel this removes four
    malloc/free pairs per token and lets LLVM hoist the norm weight, which
    it could not prove distinct from an aligned malloc'd buffer. In
    `--rope-cpu-pipeline` after the OpenMP conversion.
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"65536",
           "Largest buffer moved to the stack, in bytes">,
    Option<"maxScopeBytes", "max-scope-bytes", "int64_t", /*default=*/"262144",
           "Stack bytes per allocation scope this pass may add">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def RopeWidenBf16Arith : Pass<"rope-codegen-widen-bf16-arith"> {
  let summary = "bf16 arithmetic as f32 arithmetic between arith.extf and arith.truncf";
  let description = [{
    Each `arith.addf`, `subf`, `mulf`, `divf`, `maximumf`, `minimumf`,
    `maxnumf` and `minnumf` on bf16 (scalars, vectors or tensors) becomes the same op
    on f32 (its attributes kept) between `arith.extf` of its operands and
    `arith.truncf` of its result: what LLVM's instruction selection does for
    CPUs without bf16 arithmetic, but visible to the IR passes, so that a
    loop-invariant widening (a norm's weight) is hoisted and
    `rope-codegen-bf16-even-odd-lanes` sees the rows (fused QK-norm + RoPE + KV
    write in bf16, 4096 tokens, one thread: 6.7 -> 6.0 ms). The same numbers:
    f32 holds a product of two bf16 exactly, and rounding a sum or quotient
    to f32 and then to bf16 equals rounding it to bf16 (24 >= 2 x 8 + 2
    significand bits). Unlike upstream's `arith-emulate-unsupported-floats`
    it puts no `fastmath<contract>` on the conversions, which ArithToLLVM
    carries onto `llvm.fpext`/`llvm.fptrunc` as an `#arith` attribute that
    `mlir-translate` cannot parse. In `--rope-cpu-pipeline` before the bf16
    lane passes.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def RopeBf16EvenOddLanes : Pass<"rope-codegen-bf16-even-odd-lanes"> {
  let summary = "Run bf16 rows widened to f32 in even/odd lane order up to their rounding";
  let description = [{
    For each `arith.truncf` from f32 to bf16 (innermost size a multiple of
    32) whose input is computed, in its block, by lane-wise ops (element-wise
    ops, broadcasts adding leading dimensions, static extractions of leading
    dimensions) used by nothing else, from at least one 1-D `arith.extf` of
    bf16: the bf16 rows are widened from their 32-bit words (even elements
    `word << 16`, odd ones `word & 0xffff0000`: no cross-lane
    zero-extension), the lane-wise ops run on that lane order (per group of
    32: 16 even elements, then 16 odd), their other operands are shuffled to
    match right after their definitions (cos/sin: once per token, outside the
    head loop), and the bf16 results are put back in element order by one
    shuffle per row. Same values, same bits; on AVX512-BF16 each group of 32
    becomes one `vcvtne2ps2bf16` and one `vpermw`, where element order took
    two `vpmovzxwd` and two shifts more. A row rounded by one such truncf
    and widened again in a later cone (HF's RMSNorm rounds `x * rstd` to
    bf16, then the bf16 weight multiply rounds again) is widened from the
    lane-order words it was computed in, with no shuffle back to element
    order between: that cone runs in the order this gives (per 32: elements
    0, 4, .., 28, 1, 5, .., 29, 2, .., 30, 3, .., 31), its other operands
    shuffled to it (the norm weight once, outside the head loop). The CPU
    pipeline runs it with `rope-x86-avx512bf16-truncf`.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect", "::mlir::arith::ArithDialect",
                           "::mlir::ub::UBDialect"];
}

def RopeSetTargetFeatures : Pass<"rope-codegen-set-target-features"> {
  let summary = "Give llvm.func definitions the target features they were compiled for";
  let description = [{
    Sets `target_features` on every `llvm.func` with a body that has none:
    `features` is a `cpu-features` value ("host" for this machine's enabled
    features, or +name/-name entries as LLVM spells them). LLVM then selects
    instructions for those features whatever `-march` the IR is compiled
    with, which code calling AVX512-BF16 intrinsics or holding AVX-512
    inline asm needs; LLVM uses them instead of `-march`'s, not on top.
    `--rope-cpu-pipeline` ends with it for `cpu-features=host`. A malformed
    entry is an error naming it.
  }];
  let options = [
    Option<"features", "features", "std::string", "\"\"",
           "\"host\" or comma-separated +name/-name target features">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def RopeUnrollOddVectors : Pass<"rope-codegen-unroll-odd-vectors"> {
  let summary = "Unroll vector ops of non-power-of-two lanes into power-of-two slices";
  let description = [{
    LLVM's instruction selection passes values between basic blocks in
    registers chosen by type, and breaks a vector whose lane count is not a
    power of two down to scalars. A rotation with 40 pairs (ViT's head_dim
    80) computes `vector<40xf32>` cos/sin once per token and uses them in the
    head loop: each token then paid ~170 element inserts and extracts. This
    pass unrolls every op implementing `VectorUnrollOpInterface` whose
    unroll shape's innermost size is static and not a power of two into
    slices of the largest power of two dividing it (40 -> 5 x 8, 48 -> 3 x
    16, 20 -> 5 x 4), with upstream's unroll patterns. Left alone:
    power-of-two, odd and scalable sizes, reductions and contractions
    (unrolling would reassociate them), ops masked by `vector.mask`, and
    `vector.load`/`vector.store` carrying alignment or non-temporal hints. In `--rope-cpu-pipeline` after
    `convert-vector-to-scf`.
  }];
  // The unroll patterns offset transfer indices with affine.apply.
  let dependentDialects = ["::mlir::vector::VectorDialect", "::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect"];
}

def RopeVectorizeCopies : InterfacePass<"rope-codegen-vectorize-copies", "mlir::FunctionOpInterface"> {
  let summary = "Lower strided memref.copy to vector loops in the IR";
  let description = [{
    Runs on buffers, after bufferization. A `memref.copy` that MemRefToLLVM
    cannot lower to `llvm.memcpy` (a side with a strided layout and a dynamic
    size, as a KV cache slice `[start, 0, 0] [tokens, H, D]` is) becomes a
    call to `memrefCopy` of libmlir_c_runner_utils, which copies one element
    per `memcpy` call: writing v into a Qwen3 cache at 4096 tokens took 8 of
    the fused QK-norm + RoPE + KV kernel's 20 ms, and the kernel needed
    libMLIR at run time. Here each such copy becomes a loop nest: when the
    innermost dim is static and of unit stride on both sides, in-bounds 1-D
    `vector.transfer_read`/`transfer_write` of that dim (cut into equal
    pieces of at most 512 lanes), else scalar loads and stores (also for
    elements of less than a byte: an i1 vector is bit-packed in LLVM, an i1
    memref holds a byte per element). Later passes
    treat the loops as any other: `rope-codegen-nontemporal-stores` streams their
    writes when large and aligned, `rope-codegen-prefetch` prefetches their reads.
    With `parallel`, the outermost dim that is not statically 1 (never the
    innermost) is an `scf.forall`, taken when the copy moves at least
    `min-parallel-bytes`, an `scf.for` otherwise; a copy inside a parallel
    loop already stays serial. Copies of unranked memrefs
    and copies MemRefToLLVM lowers to `llvm.memcpy` (identity or static
    contiguous layouts on both sides) are left alone. Like `memrefCopy` and
    `llvm.memcpy`, the loops assume the two sides do not overlap (what
    bufferization's copies guarantee). In `--rope-cpu-pipeline` after
    bufferization.
  }];
  let options = [
    Option<"parallel", "parallel", "bool", "false",
           "Copy large copies' outermost dim on threads (scf.forall)">,
    Option<"minParallelBytes", "min-parallel-bytes", "int64_t", "1048576",
           "With parallel: copies of fewer bytes than this run serially">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"];
}

def RopeNontemporalStores : InterfacePass<"rope-codegen-nontemporal-stores", "mlir::FunctionOpInterface"> {
  let summary = "Stream large outputs with non-temporal stores, versioned on alignment and size";
  let description = [{
    Runs on buffers after the vector transfers are unrolled to 1-D. For every
    outermost loop whose 1-D vector writes are a whole number of 64-byte lines
    at offsets that are whole lines past their buffer's start (static strides,
    or dynamic ones that are multiples of static sizes, as HF's [B, H, S, D]
    with a dynamic S; row-major buffers from outside the loops; f32, f16 or
    bf16 data), emits
    `scf.if (every such buffer 64-byte aligned and their bytes >= min-bytes)`
    with a copy of the loop whose writes are `vector.store {nontemporal}`
    (64-byte aligned) and `rope.stream_fence` at the end of each parallel
    iteration (or after a sequential loop), and the loop unchanged otherwise.
    Streaming stores skip the read of each output line that ordinary stores
    do, which pays when the output does not fit in cache. bf16 values rounded
    from f32 in the loop are rounded to nearest even on their bits, so that
    what is stored is integer data: LLVM's X86 backend drops the non-temporal
    hint on bf16 (and f16) vectors. Other bf16 values (a copy's) and f16 ones
    are stored as they are, which on x86 `rope-x86-nontemporal-vector-stores`
    streams. With `keep-bf16-truncf` rounded ones stay bf16 from their `arith.truncf`
    instead (the CPU pipeline sets it on AVX512-BF16, where the truncf
    becomes `vcvtne2ps2bf16` and `rope-x86-nontemporal-vector-stores` writes
    the stores as `vmovntdq`). Other writes are left alone, and so are buffers the loop also
    reads (in-place rotation: each line is in cache when it is written, and
    streaming it out measured slower).
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", "0",
           "Stream only when the written buffers hold at least this many bytes">,
    Option<"keepBF16TruncF", "keep-bf16-truncf", "bool", "false",
           "Stream bf16 as bf16, rounded by its arith.truncf (for "
           "rope-x86-avx512bf16-truncf and rope-x86-nontemporal-vector-stores)">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::vector::VectorDialect",
                           "::mlir::rope::RopeDialect"];
}

#endif // ROPE_CODEGEN_PASSES_TD
