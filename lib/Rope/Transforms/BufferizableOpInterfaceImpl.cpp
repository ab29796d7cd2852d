//===- BufferizableOpInterfaceImpl.cpp - rope ops in one-shot-bufferize ---===//
//
// The rotations are destination-style ops: each result is written into its
// `outs` operand, so it bufferizes in place into that operand's buffer (as
// linalg ops do). The analysis is told exactly what is read: sources,
// positions and tables always; an `outs` only when it is rotated in place
// (out of place, every lane of the destination is written from the source,
// partial rotary's pass-through lanes included), so an `outs` of
// tensor.empty needs no copy and an `outs` that is read elsewhere afterwards
// is not mistaken for one the op reads.
//
//===----------------------------------------------------------------------===//

#include "Rope/Transforms/BufferizableOpInterfaceImpl.h"

#include "Rope/IR/RopeOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;

namespace {
template <typename OpTy>
struct RotationOpInterface
    : public DstBufferizableOpInterfaceExternalModel<RotationOpInterface<OpTy>, OpTy> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand, const AnalysisState &) const {
    auto rotation = cast<OpTy>(op);
    return !rotation.isDpsInit(&operand) || rotation.isInPlace();
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto rotation = cast<OpTy>(op);
    if (rotation.isBufferForm())
      return success();
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    // Every tensor operand becomes its buffer (the index seq_len stays), in
    // operand order, so the operand segments carry over unchanged.
    SmallVector<Value> operands;
    SmallVector<Value> outBuffers;
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<TensorType>(operand.get().getType())) {
        operands.push_back(operand.get());
        continue;
      }
      FailureOr<Value> buffer = getBuffer(rewriter, operand.get(), options, state);
      if (failed(buffer))
        return failure();
      operands.push_back(*buffer);
      if (rotation.isDpsInit(&operand))
        outBuffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    Operation *bufferized = Operation::create(
        op->getLoc(), op->getName(), /*resultTypes=*/TypeRange{}, operands,
        op->getDiscardableAttrDictionary(), op->getPropertiesStorage(),
        /*successors=*/BlockRange{}, /*numRegions=*/0);
    rewriter.insert(bufferized);
    replaceOpWithBufferizedValues(rewriter, op, outBuffers);
    return success();
  }
};
} // namespace

void rope::registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, RopeDialect *) {
    RotateOp::attachInterface<RotationOpInterface<RotateOp>>(*ctx);
    RotateWithTablesOp::attachInterface<RotationOpInterface<RotateWithTablesOp>>(*ctx);
  });
}
