//===- Report.h - what rope-raise says with report=true --------*- C++ -*-===//
//
// Remarks, since Debian's LLVM has no -debug: one per raised op (its kind and
// recovered attributes) and one per candidate left alone (its reason).
//
//===----------------------------------------------------------------------===//

#ifndef ROPE_TRANSFORMS_RAISE_REPORT_H
#define ROPE_TRANSFORMS_RAISE_REPORT_H

#include "mlir/IR/Operation.h"

namespace mlir::rope::raise {

/// `not raised: <why>` on a candidate whose two products read one tensor.
void reportNotRaised(Operation *candidate, StringRef why);

/// `raised: ...` on every rope op of `func`.
void reportRaised(Operation *func);

} // namespace mlir::rope::raise

#endif // ROPE_TRANSFORMS_RAISE_REPORT_H
