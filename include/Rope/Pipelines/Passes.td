//===- Passes.td - The named pipelines and their guards -*- tablegen -*-===//

#ifndef ROPE_PIPELINES_PASSES_TD
#define ROPE_PIPELINES_PASSES_TD

include "mlir/Pass/PassBase.td"

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
    Option<"nvvmTarget", "nvvm-target", "bool", /*default=*/"false",
           "Also fail when #nvvm.target has no target model registered "
           "(gpu-module-to-binary would crash on it)">,
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

#endif // ROPE_PIPELINES_PASSES_TD
