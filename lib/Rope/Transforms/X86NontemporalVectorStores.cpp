//===- X86NontemporalVectorStores.cpp - vmovntdq for bf16/f16 vectors -----===//
//
// LLVM 22's X86 backend has streaming-store patterns for integer, f32 and
// f64 vectors but not for bf16 or f16 ones: a `!nontemporal` store of
// <32 x bfloat> becomes an ordinary vmovaps, and a bitcast to integers is
// folded back by instcombine (and by the DAG combiner without it). Inline
// asm is the one form neither looks through.
//
//===----------------------------------------------------------------------===//

#include "Rope/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include <numeric>

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEX86NONTEMPORALVECTORSTORES
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
constexpr int64_t kZmmLanes = 32; // 16-bit lanes of a 512-bit register
constexpr uint64_t kZmmBytes = 64;

/// A non-temporal store of whole 512-bit registers of bf16 or f16, 64-byte
/// aligned.
bool isStreamedHalfVector(LLVM::StoreOp store) {
  auto type = dyn_cast<VectorType>(store.getValue().getType());
  // Other address spaces are segments on x86 (256: gs), which the asm's
  // plain memory operand would not address.
  auto ptr = cast<LLVM::LLVMPointerType>(store.getAddr().getType());
  if (!store.getNontemporal() || store.getVolatile_() ||
      store.getOrdering() != LLVM::AtomicOrdering::not_atomic || ptr.getAddressSpace() != 0 ||
      !type || type.isScalable() || type.getRank() != 1)
    return false;
  Type elt = type.getElementType();
  return (elt.isBF16() || elt.isF16()) && type.getNumElements() % kZmmLanes == 0 &&
         store.getAlignment().value_or(0) >= kZmmBytes;
}

struct RopeX86NontemporalVectorStoresPass
    : public rope::impl::RopeX86NontemporalVectorStoresBase<RopeX86NontemporalVectorStoresPass> {
  void runOnOperation() override {
    SmallVector<LLVM::StoreOp> stores;
    getOperation()->walk([&](LLVM::StoreOp store) {
      if (isStreamedHalfVector(store))
        stores.push_back(store);
    });
    for (LLVM::StoreOp store : stores) {
      OpBuilder b(store);
      Location loc = store.getLoc();
      Value value = store.getValue();
      int64_t lanes = cast<VectorType>(value.getType()).getNumElements();
      for (int64_t first = 0; first < lanes; first += kZmmLanes) {
        Value part = value;
        if (lanes != kZmmLanes) {
          SmallVector<int32_t> mask(kZmmLanes);
          std::iota(mask.begin(), mask.end(), static_cast<int32_t>(first));
          part = LLVM::ShuffleVectorOp::create(b, loc, value, value, mask);
        }
        // As 32-bit integers, the register operand needs AVX-512F only
        // (a bf16 or f16 vector would need AVX512-BF16 or AVX512-FP16).
        part = LLVM::BitcastOp::create(b, loc, VectorType::get({kZmmLanes / 2}, b.getI32Type()), part);
        Value addr = store.getAddr();
        if (first != 0)
          addr = LLVM::GEPOp::create(b, loc, addr.getType(), b.getI8Type(), addr,
                                     ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(first * 2)});
        // AT&T operand order: vmovntdq %zmm, (%ptr). The memory clobber keeps
        // LLVM from moving other memory accesses across the store.
        LLVM::InlineAsmOp::create(
            b, loc, /*resultTypes=*/TypeRange{}, ValueRange{addr, part}, "vmovntdq $1, ($0)",
            "r,v,~{memory}", /*has_side_effects=*/true, /*is_align_stack=*/false,
            LLVM::TailCallKind::None,
            LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
            /*operand_attrs=*/ArrayAttr());
      }
      store.erase();
    }
  }
};
} // namespace
