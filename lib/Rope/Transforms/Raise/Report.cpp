//===- Report.cpp - what rope-raise says with report=true -----------------===//

#include "Report.h"

#include "Rope/IR/RopeOps.h"

using namespace mlir;
using namespace mlir::rope;

void mlir::rope::raise::reportNotRaised(Operation *candidate, StringRef why) {
  candidate->emitRemark() << "not raised: " << why;
}

void mlir::rope::raise::reportRaised(Operation *func) {
  func->walk([&](RotateWithTablesOp op) {
    op.emitRemark() << "raised: rope.rotate_with_tables, " << op.getInits().size()
                    << " tensor(s), layout " << stringifyLayout(op.getLayout()) << ", pairing "
                    << stringifyPairing(op.getPairing()) << ", head_dim " << op.getHeadDim()
                    << ", rotary_dim " << op.getRotaryDim();
  });
  func->walk([&](RotateOp op) {
    InFlightDiagnostic remark = op.emitRemark();
    remark << "raised: rope.rotate, " << op.getInits().size() << " tensor(s), layout "
           << stringifyLayout(op.getLayout()) << ", pairing " << stringifyPairing(op.getPairing())
           << ", rotary_dim " << op.getRotaryDim() << ", theta "
           << op.getTheta().convertToDouble() << ", axes ";
    if (op.getAxesAttr())
      remark << op.getAxesAttr();
    else
      remark << "none (1D)";
    if (op.getScalingAttr())
      remark << ", scaling " << op.getScalingAttr();
    if (op.getAttentionFactorAttr())
      remark << ", attention_factor " << op.getAttentionFactor()->convertToDouble();
    if (op.getInverse())
      remark << ", inverse";
  });
}
