#ifndef ROPE_DIALECT_TD
#define ROPE_DIALECT_TD

include "mlir/IR/OpBase.td"

def Rope_Dialect : Dialect {
  let name = "rope";
  let cppNamespace = "::mlir::rope";
  let summary = "Rotary position embeddings: RoPE, vision 2D RoPE, sequential and interleaved MRoPE";
  let description = [{
    The `rope` dialect states a rotary position embedding as one op whose
    attributes carry every choice the model made (SPEC.md R1-R4, R7): pairing,
    rotary dimension, base, position axes and their sections, frequency
    scaling. Lowerings turn it into fused linalg/vector code for CPUs and
    fused gpu.launch kernels for NVIDIA GPUs.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect",
    "::mlir::memref::MemRefDialect", "::mlir::affine::AffineDialect"
  ];
}

class Rope_Op<string mnemonic, list<Trait> traits = []>
    : Op<Rope_Dialect, mnemonic, traits>;

#endif // ROPE_DIALECT_TD
