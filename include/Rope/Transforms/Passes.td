//===- Passes.td - Op-level transforms on rope ops and the graphs around them -*- tablegen -*-===//

#ifndef ROPE_TRANSFORMS_PASSES_TD
#define ROPE_TRANSFORMS_PASSES_TD

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

#endif // ROPE_TRANSFORMS_PASSES_TD
