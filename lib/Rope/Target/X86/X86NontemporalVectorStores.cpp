//===- X86NontemporalVectorStores.cpp - movntdq for bf16/f16 vectors ------===//
//
// LLVM 22's X86 backend has streaming-store patterns for integer, f32 and
// f64 vectors but not for bf16 or f16 ones: a `!nontemporal` store of
// <32 x bfloat> becomes an ordinary vmovaps, and a bitcast to integers is
// folded back by instcombine (and by the DAG combiner without it). Inline
// asm is the one form neither looks through.
//
//===----------------------------------------------------------------------===//

#include "Rope/Target/X86/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include <cstdint>
#include <numeric>

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEX86NONTEMPORALVECTORSTORES
#include "Rope/Target/X86/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;

namespace {
/// The register width, in bytes, of the streaming stores that write `store`:
/// the widest of at most `maxRegisterBytes` that a non-temporal store of bf16
/// or f16 fills whole, aligned to it; 0 when it is no such store.
int64_t streamedRegisterBytes(LLVM::StoreOp store, int64_t maxRegisterBytes) {
  auto type = dyn_cast<VectorType>(store.getValue().getType());
  // Other address spaces are segments on x86 (256: gs), which the asm's
  // plain memory operand would not address.
  auto ptr = cast<LLVM::LLVMPointerType>(store.getAddr().getType());
  if (!store.getNontemporal() || store.getVolatile_() ||
      store.getOrdering() != LLVM::AtomicOrdering::not_atomic || ptr.getAddressSpace() != 0 || !type ||
      type.isScalable() || type.getRank() != 1 ||
      !(type.getElementType().isBF16() || type.getElementType().isF16()))
    return 0;
  int64_t bytes = type.getNumElements() * 2;
  uint64_t alignment = store.getAlignment().value_or(0);
  for (int64_t registerBytes = maxRegisterBytes; registerBytes >= 16; registerBytes /= 2)
    if (bytes % registerBytes == 0 && alignment >= static_cast<uint64_t>(registerBytes))
      return registerBytes;
  return 0;
}

struct RopeX86NontemporalVectorStoresPass
    : public rope::impl::RopeX86NontemporalVectorStoresBase<RopeX86NontemporalVectorStoresPass> {
  using Base::Base;

  void runOnOperation() override {
    if (vectorBits != 128 && vectorBits != 256 && vectorBits != 512) {
      getOperation()->emitError("rope-x86-nontemporal-vector-stores: vector-bits must be 128, "
                                "256 or 512, got ")
          << vectorBits.getValue();
      return signalPassFailure();
    }
    // The SSE2 encoding where SSE is all there is; the VEX and EVEX ones
    // otherwise, so that no AVX-SSE transition follows the store.
    const char *asmText = vectorBits == 128 ? "movntdq $1, ($0)" : "vmovntdq $1, ($0)";
    SmallVector<std::pair<LLVM::StoreOp, int64_t>> stores;
    getOperation()->walk([&](LLVM::StoreOp store) {
      if (int64_t registerBytes = streamedRegisterBytes(store, vectorBits / 8))
        stores.push_back({store, registerBytes});
    });
    for (auto [store, registerBytes] : stores) {
      OpBuilder b(store);
      Location loc = store.getLoc();
      Value value = store.getValue();
      int64_t lanes = cast<VectorType>(value.getType()).getNumElements();
      int64_t registerLanes = registerBytes / 2;
      // "x": xmm/ymm 0-15, which every encoding reaches; "v" adds 16-31,
      // which zmm stores (EVEX) may use.
      const char *constraints = registerBytes == 64 ? "r,v,~{memory}" : "r,x,~{memory}";
      for (int64_t first = 0; first < lanes; first += registerLanes) {
        Value part = value;
        if (lanes != registerLanes) {
          SmallVector<int32_t> mask(registerLanes);
          std::iota(mask.begin(), mask.end(), static_cast<int32_t>(first));
          part = LLVM::ShuffleVectorOp::create(b, loc, value, value, mask);
        }
        // As 32-bit integers, the register operand needs no bf16 or f16
        // support (AVX512-BF16 or AVX512-FP16 for zmm).
        part = LLVM::BitcastOp::create(
            b, loc, VectorType::get({registerLanes / 2}, b.getI32Type()), part);
        Value addr = store.getAddr();
        if (first != 0)
          addr = LLVM::GEPOp::create(b, loc, addr.getType(), b.getI8Type(), addr,
                                     ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(first * 2)});
        // AT&T operand order: vmovntdq %zmm, (%ptr). The memory clobber keeps
        // LLVM from moving other memory accesses across the store.
        LLVM::InlineAsmOp::create(
            b, loc, /*resultTypes=*/TypeRange{}, ValueRange{addr, part}, asmText,
            constraints, /*has_side_effects=*/true, /*is_align_stack=*/false,
            LLVM::TailCallKind::None,
            LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
            /*operand_attrs=*/ArrayAttr());
      }
      store.erase();
    }
  }
};
} // namespace
