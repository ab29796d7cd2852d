// FUZZ-KIND: crash
// FUZZ-ORIGIN: ours
// FUZZ-INVOCATION: parse
// FUZZ-ARGS: []
// FUZZ-SIGNATURE: ubsan|lib/Rope/IR/RopeDialect.cpp:134|signed integer overflow: N + N cannot be represented in type 'long int'
// FUZZ-DETAIL: /work/main/lib/Rope/IR/RopeDialect.cpp:134:46: runtime error: signed integer overflow: 9223372036854775807 + 1 cannot be represented in type 'long int' [found by binary: rope-opt-asan]
// FUZZ-STACK-0: mlir::rope::AxesAttr::getNumAxes /work/main/lib/Rope/IR/RopeDialect.cpp:134
// FUZZ-STACK-1: mlir::rope::RotateOp::verify /work/main/lib/Rope/IR/RopeOps.cpp:220
// FUZZ-STACK-2: mlir::Op<mlir::rope::RotateOp, mlir::OpTrait::ZeroRegions, mlir::OpTrait::VariadicResults, mlir::OpTrait::ZeroSuccessors, mlir::OpTrait::AtLeastNOperands<>::Impl, mlir::OpTrait::AttrSizedOperandSegments, mlir::OpTrait::OpInvariants, mlir::BytecodeOpInterface::Trait, mlir::ConditionallySpeculatable::Trait, mlir::OpTrait::AlwaysSpeculatableImplTrait, mlir::MemoryEffectOpInterface::Trait, mlir::DestinationStyleOpInterface::Trait, mlir::ReifyRankedShapedTypeOpInterface::Trait, mlir::linalg::AggregatedOpInterface::Trait, mlir::TilingInterface::Trait>::verifyInvariants /usr/lib/llvm-22/include/mlir/IR/OpDefinition.h:2053
// FUZZ-STACK-3: llvm::LogicalResult llvm::detail::UniqueFunctionBase<>::CallImpl<> /usr/lib/llvm-22/include/llvm/ADT/FunctionExtras.h:212
func.func @custom_axis_max(%x: tensor<2x4x8x4xf32>, %pos: tensor<2x2x8xi64>) { rope.rotate positions(%pos : tensor<2x2x8xi64>) outs(%x : tensor<2x4x8x4xf32>) layout = bhsd pairing = half head_dim = 4 rotary_dim = 4 theta = 1.0e4 axes = <custom [0, 9223372036854775807]> -> tensor<2x4x8x4xf32>
}
