#ifndef ROPE_PASSES_TD
#define ROPE_PASSES_TD

include "mlir/Pass/PassBase.td"

def RopeTileTokens : InterfacePass<"rope-tile-tokens", "mlir::FunctionOpInterface"> {
  let summary = "Tile rope ops over their token dimensions (TilingInterface)";
  let description = [{
    Wraps every rope op in loops over tokens (`scf.for`, or `scf.forall` with
    `parallel`), leaving a rope op on one tile of tokens with every head of q
    and k, so cos/sin of a token are computed once per tile and shared.
  }];
  let options = [
    Option<"tileSize", "tile-size", "int64_t", "1",
           "Tokens per tile along the innermost token dimension">,
    Option<"parallel", "parallel", "bool", "false",
           "Emit scf.forall (for threads) instead of scf.for">,
    Option<"minParallelTokens", "min-parallel-tokens", "int64_t", "0",
           "With parallel: below this many tokens, run a serial scf.for "
           "instead (scf.if on the run-time token count)">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect"];
}

def RopeFuseNeighbours : InterfacePass<"rope-fuse-neighbours", "mlir::FunctionOpInterface"> {
  let summary = "Fuse rope ops with their producers and consumers into one token loop";
  let description = [{
    Brings the ops around each rope op into one loop over tokens, through
    upstream's tile-and-fuse and the rope ops' TilingInterface, so that one
    pass over memory does what each would do in its own pass:

    - Consumers: a rope result used only by `tensor.extract_slice`s inside
      loops after it (a consumer's own token loop, as a paged KV-cache write
      by slot index is written) is computed in that loop, one tile per
      slice (`scf::tileAndFuseProducerOfSlice`), with the producers that
      then have no other use. A contiguous cache write (`tensor.insert_slice`
      of the rotated k at the cache position) needs no loop of its own:
      after this pass, `eliminate-empty-tensors` makes the rope op write into
      the cache slice, in place after bufferization (the CPU pipeline's
      `fuse=true` runs both).
    - Producers: a rope op with a fusable producer of q, k, positions or
      tables is tiled over its token dims as `rope-tile-tokens` does, with
      `scf::tileConsumerAndFuseProducersUsingSCF`, and into the same loop come
      QK-norm (the per-head RMSNorm reduction over head_dim and its scale),
      casts, bias adds, the transpose to the rope layout, the
      `tensor.expand_shape` from the projection's `[tokens, H*D]` (through
      upstream's patterns that bubble `tensor.extract_slice` up through
      reshapes) and the cos/sin tables' computation. A producer also used
      after the rope op is fused and its value yielded by the loop for those
      uses; one used before it stays outside (computed once). Contractions
      and convolutions (the projections) stay outside: a token tile of a GEMM
      is not where it should be tiled.

    Rope ops with nothing to fuse are left for `rope-tile-tokens`. With
    `parallel`, loops are `scf.forall`, except for a static token count
    below `min-parallel-tokens`.
  }];
  let options = [
    Option<"tileSize", "tile-size", "int64_t", "1",
           "Tokens per tile along the innermost token dimension">,
    Option<"parallel", "parallel", "bool", "false",
           "Emit scf.forall (for threads) instead of scf.for">,
    Option<"minParallelTokens", "min-parallel-tokens", "int64_t", "0",
           "With parallel: a serial loop for a static token count below this">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def RopeDecompose : InterfacePass<"rope-decompose", "mlir::FunctionOpInterface"> {
  let summary = "Lower rope ops to linalg on tensors (AggregatedOpInterface)";
  let description = [{
    Replaces each rope op by a `linalg.generic` that computes cos/sin per
    (token, pair) and one `linalg.generic` per rotated tensor that reads the
    two halves of each pair as contiguous (or strided) slices.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def RopeDecomposeAggregateOps
    : InterfacePass<"rope-decompose-aggregate-ops", "mlir::FunctionOpInterface"> {
  let summary = "Decompose linalg.softmax and other aggregate linalg ops into linalg.generic ops";
  let description = [{
    Replaces every op that implements `linalg::AggregatedOpInterface`, other
    than the rope ops (`rope-decompose` lowers those), by the ops its
    `decomposeOperation` builds: `linalg.softmax` becomes its max reduction,
    subtraction, exponential, sum reduction and division, which tile and
    vectorize like any `linalg.generic`. Upstream MLIR has the decomposition
    only as a transform-dialect op; the CPU pipeline needs it as a pass so
    that a model graph's softmax lowers. `linalg.pack` and `linalg.unpack`
    (data-tiled layouts, which have no bufferization) become upstream's
    `lowerPack`/`lowerUnPack` forms: `tensor.pad`, reshapes, a
    `linalg.transpose` and slices.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def RopeVectorize : InterfacePass<"rope-vectorize", "mlir::FunctionOpInterface"> {
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

def RopeRaise : InterfacePass<"rope-raise", "mlir::FunctionOpInterface"> {
  let summary = "Raise rotary embeddings in imported graphs to rope ops";
  let description = [{
    Finds rotary embeddings by what they compute. A candidate (a sum, a fused
    body, or a concat/insert/reshape assembling lanes) is raised when each
    lane `l` of its last dim is `x[l] * C + x[l'] * S` for one tensor `x` of
    its shape, `l'` being `l`'s partner in rotate_half's or GPT-J's pairing,
    and the lanes past the rotated prefix are `x[l]` (partial rotary). Each
    element is flattened into a sum of products through arithmetic (on
    tensors, in fused linalg bodies with index selects and `scf.if`, TOSA
    elementwise ops, complex create/re/im/mul, small contractions) and data
    movement (slices, inserts, concats, reshapes, broadcasts, transposes,
    TOSA reshape/tile/pad/slice/concat/gather/scatter), whatever the
    spelling.

    The cos and sin factors are evaluated in the compiler at probe positions
    up to 2^20. When they read one positions tensor and no other run-time
    value, and every lane equals `a * cos(p * inv)` / `-+a * sin(p * inv)`
    at every probe, the result is `rope.rotate` with theta, axes
    (sequential, interleaved, custom, per-axis), scaling (linear, llama3,
    yarn, or an exact freq_factors list), attention_factor, inverse and
    rotary_dim recovered; when they read other values (tables or inv_freq
    passed in), `rope.rotate_with_tables` on the tables as the graph holds
    them. Positions-driven tables that are no rotation leave the graph
    untouched. q and k rotated alike become one op. Nothing is built before
    the rewrite is proven. With `report`, remarks say what was raised and
    why each candidate whose two products read one tensor was not.
  }];
  let options = [
    Option<"report", "report", "bool", "false",
           "Emit remarks for raised ops and rejected candidates">,
  ];
  let dependentDialects = ["::mlir::rope::RopeDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::linalg::LinalgDialect", "::mlir::complex::ComplexDialect"];
}

def RopeToGpu : Pass<"rope-to-gpu", "mlir::ModuleOp"> {
  let summary = "Lower rope ops in ahead-of-time entry form to fused gpu.launch kernels";
  let description = [{
    For a `rope.rotate` whose tensors are `bufferization.to_tensor` of caller
    buffers and whose results are materialized into buffers: one
    `gpu.launch` with one token per block, pairs across the block's x
    threads (16-byte vector loads and stores of both halves of each thread's
    pairs), heads across its y threads, cos/sin computed once per (token,
    pair), the pairs spread over all the block's threads, and shared through
    workgroup memory with every q and k head. Lanes past `rotary_dim` are
    copied with 16-byte vectors when out of place (element by element when
    `rotary_dim` or the rest is not a whole vector). Vectors need whole
    vectors of pairs and of `head_dim`; otherwise a thread moves one pair.

    The launch is guarded on the host: for every buffer (q, k, positions,
    outputs) a private helper `@__rope_check_buffer_<rank>d_<elt>` reads the
    descriptor at run time and checks that the offset and every stride the
    memref type fixes statically are the descriptor's (dims of one element
    exempt), that the innermost stride is 1, and that the first element and
    every outer stride are multiples of 16 bytes for buffers moved as
    16-byte vectors (of the element size otherwise). The gpu.launch sits in
    an `scf.if` on the result; a failing buffer is reported, first failing
    rule only, through `func.call @ropeCudaReportInvalidArgument(argument
    number, rule, dim, value, required)` (the GPU runtime records it as
    CUDA_ERROR_INVALID_VALUE) and nothing is launched.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::vector::VectorDialect", "::mlir::scf::SCFDialect",
                           "::mlir::math::MathDialect", "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect"];
}

def RopeEmulateGpuLaunch : Pass<"rope-emulate-gpu-launch"> {
  let summary = "Run gpu.launch bodies as sequential host loops (testing without a GPU)";
  let description = [{
    Replaces each synchronous gpu.launch by loops over its blocks and
    threads: per block, the body is cut at its top-level barriers and each
    piece runs for every thread before the next; workgroup memory becomes a
    buffer per block. The kernels rope-to-gpu emits qualify, so their numbers
    can be checked on any CPU. On a module, a declaration of the runtime's
    `ropeCudaReportInvalidArgument` (rope-to-gpu's host guard calls it) gets
    a host body: it counts reports in element 0 of the public
    `memref.global @rope_emulated_gpu_error : memref<6xi64>` and keeps the
    first one's arguments in elements 1-5, so tests of the emulated object
    read what the guard refused.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::func::FuncDialect"];
}

def RopeApproximateMath : Pass<"rope-approximate-math"> {
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

def RopePrefetch : InterfacePass<"rope-prefetch", "mlir::FunctionOpInterface"> {
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
    `vector.store`s (a streaming version from `rope-nontemporal-stores`)
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

def RopeAvx512Bf16SumOfSquares : Pass<"rope-avx512bf16-sum-of-squares"> {
  let summary = "Sums of squares of bf16 rows as AVX512-BF16 dot products (vdpbf16ps)";
  let description = [{
    For x86 CPUs with AVX512-BF16. Rewrites `vector.reduction <add>` with
    the `reassoc` flag of `arith.mulf %w, %w` where `%w = arith.extf %x`
    of a 1-D bf16 vector whose size is a multiple of 32 (an RMSNorm's sum
    of squares, as `rope-approximate-math` leaves it), or of a static row
    (`vector.extract`) of such a square of an n-D vector (a tile of several
    heads), into
    `llvm.x86.avx512bf16.dpbf16ps.512` calls on `%x` itself, 32 elements
    each, into two 16-lane f32 accumulators, then the reduction of their
    sum. A fused bf16 QK-norm row of 128 then takes 4 dot products instead
    of 8 widening loads, 8 shifts, 8 multiplies and 7 adds. The square of a
    bf16 is exact in f32, so only the order of the additions changes, which
    `reassoc` allows. Like every AVX512-BF16 instruction it flushes denormals:
    a bf16 denormal squares to zero in f32 anyway, and a partial sum below
    2^-126 (every element of the row below 2^-63 in magnitude) becomes zero,
    a change below 2^-119 in the sum. Run after `rope-approximate-math`
    (which makes `math.fpowi %w, 2` a multiply); `--rope-cpu-pipeline` adds
    it with `cpu-features=host` on such a CPU, or `+avx512bf16`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect"];
}

def RopeAvx512Bf16TruncF : Pass<"rope-avx512bf16-truncf"> {
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

def RopeLoopBuffersToStack : Pass<"rope-loop-buffers-to-stack"> {
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

def RopeWidenBf16Arith : Pass<"rope-widen-bf16-arith"> {
  let summary = "bf16 arithmetic as f32 arithmetic between arith.extf and arith.truncf";
  let description = [{
    Each `arith.addf`, `subf`, `mulf`, `divf`, `maximumf`, `minimumf`,
    `maxnumf` and `minnumf` on bf16 (scalars, vectors or tensors) becomes the same op
    on f32 (its attributes kept) between `arith.extf` of its operands and
    `arith.truncf` of its result: what LLVM's instruction selection does for
    CPUs without bf16 arithmetic, but visible to the IR passes, so that a
    loop-invariant widening (a norm's weight) is hoisted and
    `rope-bf16-even-odd-lanes` sees the rows (fused QK-norm + RoPE + KV
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

def RopeBf16EvenOddLanes : Pass<"rope-bf16-even-odd-lanes"> {
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
    pipeline runs it with `rope-avx512bf16-truncf`.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect", "::mlir::arith::ArithDialect",
                           "::mlir::ub::UBDialect"];
}

def RopeSetTargetFeatures : Pass<"rope-set-target-features"> {
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

def RopeUnrollOddVectors : Pass<"rope-unroll-odd-vectors"> {
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

def RopeVectorizeCopies : InterfacePass<"rope-vectorize-copies", "mlir::FunctionOpInterface"> {
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
    treat the loops as any other: `rope-nontemporal-stores` streams their
    writes when large and aligned, `rope-prefetch` prefetches their reads.
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

def RopeNontemporalStores : InterfacePass<"rope-nontemporal-stores", "mlir::FunctionOpInterface"> {
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
           "rope-avx512bf16-truncf and rope-x86-nontemporal-vector-stores)">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::vector::VectorDialect",
                           "::mlir::rope::RopeDialect"];
}

def RopeCheckLowered : Pass<"rope-check-lowered", "::mlir::ModuleOp"> {
  let summary = "Fail, naming the op, when anything outside the target dialects is left";
  let description = [{
    The last step of `--rope-cpu-pipeline` and `--rope-gpu-pipeline`: the
    conversions to LLVM are partial, so an op they have no pattern for (a
    `vector.multi_reduction` of a graph's softmax, a `tensor` op of a graph
    the pipeline does not bufferize) would otherwise be left in the output
    with exit status 0, and only `mlir-translate` would fail, far from the
    cause. Emits one error per op name left, at its first occurrence, and
    fails the pass.
  }];
  let options = [
    ListOption<"dialects", "dialects", "std::string",
               "Dialects whose ops may remain (builtin.module always may)">,
  ];
}

def RopeCheckDimIndices : Pass<"rope-check-dim-indices", "::mlir::ModuleOp"> {
  let summary = "Reject dim indices outside the rank (tensor/memref dim, reshape groups), huge vectors";
  let description = [{
    The first step of both named pipelines. Upstream MLIR 22's folding of a
    `tensor.dim`/`memref.dim` whose constant index is negative or past the
    rank crashes (one-shot-bufferize, and canonicalization once the gpu
    dialect is loaded; `docs/upstream-crashes.md`); the verifiers accept such
    an op. This check makes it an error naming the op instead. Likewise an
    `expand_shape`/`collapse_shape` whose reassociation names a dim past the
    rank (the verifiers accept `[[1099511627776, 1, 2]]`), and a vector of
    more than 65536 rows (leading dims), which `convert-vector-to-scf`'s full
    unrolling would turn into an op per row.
  }];
}

#endif // ROPE_PASSES_TD
