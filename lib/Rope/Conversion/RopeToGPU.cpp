//===- RopeToGPU.cpp - rope ops to fused NVIDIA GPU kernels ---------------===//
//
// Lowers a positions-driven rope op in the buffer form (memref operands, as
// one-shot-bufferize leaves it, in any function) to one gpu.launch:
//   - one token per block,
//   - pairs across the x dim of the block: each thread owns V consecutive
//     pairs, V = 16 bytes / element size, so both halves of its pairs move as
//     16-byte vector loads and stores,
//   - heads across the y dim (a head group per row of threads),
//   - cos/sin computed once per (token, pair), the pairs spread over all
//     threads of the block, shared through workgroup memory after a barrier,
//     and used for every q and k head of the token.
// Angles are formed and reduced modulo 2*pi in f64, as on the CPU (R5).
//
// The kernel trusts the buffers' memref types: it indexes with the strides
// and offset the type fixes (only the dynamic ones come from the
// descriptor), and its 16-byte accesses need 16-byte aligned rows. A caller's
// descriptor that breaks this (a permuted or sliced view, a misaligned base)
// would read the wrong elements or kill the CUDA context with a misaligned
// address. So the host code checks every buffer's descriptor before the
// launch (a private helper per rank and element type, reading the fields at
// run time) and, when one breaks a rule, does not launch but calls the
// runtime's ropeCudaReportInvalidArgument (Rope/Conversion/RopeToGPU.h; the
// test pass test-rope-emulate-gpu-launch defines that function for host runs).
//
//===----------------------------------------------------------------------===//

#include "Rope/Conversion/RopeToGPU.h"
#include "Rope/Conversion/Passes.h"
#include "Rope/IR/RopeOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPETOGPU
#include "Rope/Conversion/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

FunctionType rope::getReportInvalidArgumentType(MLIRContext *context) {
  Builder b(context);
  return b.getFunctionType(
      {b.getI32Type(), b.getI32Type(), b.getI32Type(), b.getI64Type(), b.getI64Type()}, {});
}

namespace {

/// Threads per block: pair groups along x, head groups along y.
constexpr int64_t kThreadsPerBlock = 128;

/// The buffers a rotation in the buffer form reads and writes: each `outs`
/// is written from its `ins` (from itself when rotated in place).
struct Buffers {
  SmallVector<Value> src, dst;
  Value positions;
};

static Buffers getBuffers(RotateOp op) {
  Buffers b;
  b.positions = op.getPositions();
  for (auto [i, init] : llvm::enumerate(op.getInits())) {
    b.dst.push_back(init);
    b.src.push_back(op.isInPlace() ? init : op.getInputs()[i]);
  }
  return b;
}

/// The op that made the memory `buffer` views (through casts, subviews,
/// reshapes, transposes), or null for a block argument.
static Operation *rootAllocation(Value buffer) {
  while (Operation *def = buffer.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      return def;
    buffer = view.getViewSource();
  }
  return nullptr;
}

/// What the kernel cannot use, refused at compile time with the operand
/// named: host memory (an alloc, often one bufferization made for a
/// tensor.empty or a copy; the launch would hand the device a host pointer),
/// a static innermost stride other than 1 (a transposed view: rows are read
/// as contiguous lanes), and an op already in device code (its host guard
/// and launch need the host).
static LogicalResult checkBuffers(RotateOp op, const Buffers &buffers) {
  if (op->getParentOfType<gpu::LaunchOp>() || op->getParentOfType<gpu::GPUFuncOp>() ||
      op->getParentOfType<gpu::GPUModuleOp>())
    return op.emitOpError("is in device code: convert-rope-to-gpu launches a kernel from host "
                          "code");
  auto check = [&](Value buffer, const Twine &name) -> LogicalResult {
    if (Operation *root = rootAllocation(buffer);
        root && isa<memref::AllocOp, memref::AllocaOp, memref::ReallocOp, memref::GetGlobalOp>(root))
      return op.emitOpError()
             << name << " is host memory (" << root->getName()
             << "; bufferization allocates one for a tensor.empty outs or a copy): the GPU "
                "kernel reads and writes device buffers, so pass every buffer in as an "
                "argument (destination-passing style)";
    auto type = cast<MemRefType>(buffer.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    if (succeeded(type.getStridesAndOffset(strides, offset)) && !strides.empty() &&
        !ShapedType::isDynamic(strides.back()) && strides.back() != 1 && type.getShape().back() != 1)
      return op.emitOpError() << name << " has innermost stride " << strides.back()
                              << " (" << type
                              << "): the GPU kernel needs contiguous innermost elements";
    return success();
  };
  for (auto [i, src] : llvm::enumerate(buffers.src))
    if (src != buffers.dst[i] && failed(check(src, "ins #" + Twine(i))))
      return failure();
  if (failed(check(buffers.positions, "operand 'positions'")))
    return failure();
  for (auto [i, dst] : llvm::enumerate(buffers.dst))
    if (failed(check(dst, "outs #" + Twine(i))))
      return failure();
  return success();
}

static Value cst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// The rules of the host guard, in the order they are checked; keep in sync
/// with lib/Runtime/RopeCudaRuntime.cpp.
enum GuardRule : int32_t {
  kGuardOffset = 1,      // descriptor offset != the type's static offset
  kGuardInnerStride = 2, // innermost stride != 1 (and that dim has > 1 element)
  kGuardTypeStride = 3,  // a stride != the type's static stride (dim of > 1 element)
  kGuardBaseAlign = 4,   // aligned pointer + offset * elt bytes not a multiple of `align`
  kGuardRowAlign = 5,    // an outer stride * elt bytes not a multiple of `align`
};

static FailureOr<func::FuncOp> getOrDeclareReport(SymbolTable &symbols, ModuleOp module,
                                                  Location loc) {
  if (Operation *existing = symbols.lookup(kReportInvalidArgument)) {
    auto fn = dyn_cast<func::FuncOp>(existing);
    if (!fn || fn.getFunctionType() != getReportInvalidArgumentType(module.getContext()))
      return existing->emitError("convert-rope-to-gpu: @")
             << kReportInvalidArgument << " exists with another type than "
             << getReportInvalidArgumentType(module.getContext());
    return fn;
  }
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto fn = func::FuncOp::create(b, loc, kReportInvalidArgument,
                                 getReportInvalidArgumentType(module.getContext()));
  fn.setPrivate();
  symbols.insert(fn);
  return fn;
}

/// The fully dynamic strided type a guard helper takes for `type`.
static MemRefType dynamicStridedType(MemRefType type) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> dyn(rank, ShapedType::kDynamic);
  return MemRefType::get(
      dyn, type.getElementType(),
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, dyn),
      type.getMemorySpace());
}

/// func.func private @__rope_check_buffer(%m: <dynamic strided memref>,
///     %argument: i32, %align: index, %offset: index, %stride_0..%stride_{r-1}: index) -> i1
/// Reads %m's descriptor at run time (its fields are unknown here, so
/// nothing folds them to what the caller's type claims) and returns whether
/// it keeps the rules of GuardRule: offset and strides as the caller's
/// type fixes them (kDynamic: free), innermost stride 1, first element and
/// outer strides multiples of %align bytes. A buffer with no element always
/// passes; one that fails is reported (its first failing rule) through
/// @ropeCudaReportInvalidArgument.
static func::FuncOp buildCheckHelper(SymbolTable &symbols, ModuleOp module, Location loc,
                                     MemRefType dynType, func::FuncOp report) {
  MLIRContext *ctx = module.getContext();
  int64_t rank = dynType.getRank();
  Type elt = dynType.getElementType();
  int64_t eltBytes = std::max<int64_t>(1, elt.getIntOrFloatBitWidth() / 8);
  OpBuilder b(ctx);
  Type index = b.getIndexType(), i32 = b.getI32Type(), i64 = b.getI64Type();
  SmallVector<Type> inputs = {dynType, i32, index, index};
  inputs.append(rank, index);
  std::string name;
  llvm::raw_string_ostream os(name);
  os << "__rope_check_buffer_" << rank << "d_" << elt;
  auto fn = func::FuncOp::create(b, loc, name, b.getFunctionType(inputs, {b.getI1Type()}));
  fn.setPrivate();
  fn->setAttr("llvm.linkage", LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
  symbols.insert(fn, module.getBody()->begin());

  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value m = entry->getArgument(0), argument = entry->getArgument(1);
  Value align = entry->getArgument(2), typeOffset = entry->getArgument(3);
  ValueRange typeStrides = entry->getArguments().drop_front(4);
  auto md = memref::ExtractStridedMetadataOp::create(b, loc, m);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, m);
  auto idx = [&](int64_t v) -> Value { return arith::ConstantIndexOp::create(b, loc, v); };
  auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) -> Value {
    return arith::CmpIOp::create(b, loc, p, x, y);
  };
  auto both = [&](Value x, Value y) -> Value { return arith::AndIOp::create(b, loc, x, y); };
  using P = arith::CmpIPredicate;
  Value zero = idx(0), one = idx(1), dyn = idx(ShapedType::kDynamic);
  Value eltB = idx(eltBytes);
  Value offset = md.getOffset();
  ValueRange sizes = md.getSizes(), strides = md.getStrides();

  struct Rule {
    Value fails;
    int32_t code, dim;
    Value value, required;
  };
  SmallVector<Rule> rules;
  rules.push_back({both(cmp(P::ne, typeOffset, dyn), cmp(P::ne, offset, typeOffset)),
                   kGuardOffset, -1, offset, typeOffset});
  Value inner = strides[rank - 1];
  rules.push_back({both(cmp(P::ugt, sizes[rank - 1], one), cmp(P::ne, inner, one)),
                   kGuardInnerStride, static_cast<int32_t>(rank - 1), inner, one});
  for (int64_t d = 0; d < rank - 1; ++d)
    rules.push_back({both(both(cmp(P::ne, typeStrides[d], dyn), cmp(P::ugt, sizes[d], one)),
                          cmp(P::ne, strides[d], typeStrides[d])),
                     kGuardTypeStride, static_cast<int32_t>(d), strides[d], typeStrides[d]});
  Value first = arith::AddIOp::create(b, loc, base, arith::MulIOp::create(b, loc, offset, eltB));
  rules.push_back({cmp(P::ne, arith::RemUIOp::create(b, loc, first, align), zero),
                   kGuardBaseAlign, -1, first, align});
  for (int64_t d = 0; d < rank - 1; ++d) {
    Value bytes = arith::MulIOp::create(b, loc, strides[d], eltB);
    rules.push_back({both(cmp(P::ugt, sizes[d], one),
                          cmp(P::ne, arith::RemSIOp::create(b, loc, bytes, align), zero)),
                     kGuardRowAlign, static_cast<int32_t>(d), bytes, align});
  }
  // The first failing rule wins: fold from the last.
  auto i32c = [&](int64_t v) -> Value { return arith::ConstantIntOp::create(b, loc, i32, v); };
  Value code = i32c(0), dim = i32c(-1), value = zero, required = zero;
  for (const Rule &r : llvm::reverse(rules)) {
    code = arith::SelectOp::create(b, loc, r.fails, i32c(r.code), code);
    dim = arith::SelectOp::create(b, loc, r.fails, i32c(r.dim), dim);
    value = arith::SelectOp::create(b, loc, r.fails, r.value, value);
    required = arith::SelectOp::create(b, loc, r.fails, r.required, required);
  }
  Value empty = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
  for (Value size : sizes)
    empty = arith::OrIOp::create(b, loc, empty, cmp(P::eq, size, zero));
  Value bad = both(cmp(P::ne, code, i32c(0)),
                   arith::XOrIOp::create(b, loc, empty,
                                         arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1)));
  auto ifBad = scf::IfOp::create(b, loc, bad, /*withElseRegion=*/false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifBad.thenBlock()->getTerminator());
    func::CallOp::create(b, loc, report,
                         ValueRange{argument, code, dim,
                                    arith::IndexCastOp::create(b, loc, i64, value),
                                    arith::IndexCastOp::create(b, loc, i64, required)});
  }
  Value ok = arith::XOrIOp::create(b, loc, bad,
                                   arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
  func::ReturnOp::create(b, loc, ok);
  return fn;
}

/// A private constant table in the module (copied into the GPU module when
/// the kernel is outlined).
static memref::GlobalOp makeTable(SymbolTable &symbols, ModuleOp module, Location loc,
                                  StringRef stem, DenseElementsAttr values) {
  OpBuilder b(module.getContext());
  auto type = MemRefType::get(cast<ShapedType>(values.getType()).getShape(),
                              values.getElementType());
  auto global = memref::GlobalOp::create(b, loc, stem, b.getStringAttr("private"),
                                         type, values, /*constant=*/true, IntegerAttr());
  symbols.insert(global, module.getBody()->begin()); // uniquifies the name
  return global;
}

struct RopeToGpuPass : public rope::impl::RopeToGpuBase<RopeToGpuPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    checkHelpers.clear();
    // The GPU kernels compute their own tables; a rotation by given tables
    // has no GPU lowering, and left in place it met one-shot-bufferize's
    // bare "op was not bufferized".
    WalkResult tables = module.walk([&](RotateWithTablesOp op) {
      op.emitOpError("has no GPU lowering: convert-rope-to-gpu lowers rope.rotate only (the CPU "
                     "pipeline lowers its tensor form)");
      return WalkResult::interrupt();
    });
    if (tables.wasInterrupted())
      return signalPassFailure();
    SmallVector<RotateOp> ops;
    module.walk([&](RotateOp op) { ops.push_back(op); });
    for (RotateOp op : ops)
      if (failed(lower(op, module, symbols)))
        return signalPassFailure();
  }

  /// Guard helpers made so far, by the dynamic type they take.
  DenseMap<Type, func::FuncOp> checkHelpers;

  /// Calls a check helper for every buffer the kernel touches (sources,
  /// positions, destinations; a buffer both read and written once) and
  /// returns whether all pass. q/k buffers need `vectorAlign`-byte aligned
  /// rows (16 when the kernel moves them as 16-byte vectors, else the
  /// element size), positions their element size.
  FailureOr<Value> buildGuard(OpBuilder &b, Location loc, ModuleOp module, SymbolTable &symbols,
                              const Buffers &buffers, int64_t vectorAlign) {
    FailureOr<func::FuncOp> report = getOrDeclareReport(symbols, module, loc);
    if (failed(report))
      return failure();
    SmallVector<std::pair<Value, int64_t>> checks;
    auto add = [&](Value buffer, int64_t align) {
      for (auto &c : checks)
        if (c.first == buffer) {
          c.second = std::max(c.second, align);
          return;
        }
      checks.push_back({buffer, align});
    };
    for (Value src : buffers.src)
      add(src, vectorAlign);
    add(buffers.positions, 0);
    for (Value dst : buffers.dst)
      add(dst, vectorAlign);

    Value ok;
    for (auto [buffer, align] : checks) {
      auto type = dyn_cast<MemRefType>(buffer.getType());
      int64_t typeOffset;
      SmallVector<int64_t> typeStrides;
      if (!type || type.getRank() < 1 ||
          failed(type.getStridesAndOffset(typeStrides, typeOffset)) ||
          !type.getElementType().isIntOrFloat())
        return emitError(loc, "convert-rope-to-gpu: buffers must be ranked strided memrefs, not ")
               << buffer.getType();
      int64_t eltBytes = std::max<int64_t>(1, type.getElementType().getIntOrFloatBitWidth() / 8);
      MemRefType dynType = dynamicStridedType(type);
      func::FuncOp &helper = checkHelpers[dynType];
      if (!helper)
        helper = buildCheckHelper(symbols, module, loc, dynType, *report);
      int64_t argument = -1;
      if (auto arg = dyn_cast<BlockArgument>(buffer);
          arg && arg.getOwner()->isEntryBlock() &&
          isa<FunctionOpInterface>(arg.getOwner()->getParentOp()))
        argument = arg.getArgNumber();
      SmallVector<Value> args = {
          memref::CastOp::create(b, loc, dynType, buffer),
          arith::ConstantIntOp::create(b, loc, b.getI32Type(), argument),
          cst(b, loc, std::max(align, eltBytes)), cst(b, loc, typeOffset)};
      for (int64_t s : typeStrides)
        args.push_back(cst(b, loc, s));
      auto call = func::CallOp::create(b, loc, helper, args);
      // Inlined before lowering, the checks would fold to the caller's type.
      call.setNoInline(true);
      ok = ok ? arith::AndIOp::create(b, loc, ok, call.getResult(0)).getResult()
              : call.getResult(0);
    }
    return ok;
  }

  LogicalResult lower(RotateOp op, ModuleOp module, SymbolTable &symbols) {
    if (op.getSeqLen())
      return op.emitError("convert-rope-to-gpu: dynamic_ntk scaling is not supported on the GPU path");
    if (!op.isBufferForm())
      return op.emitOpError("is in the tensor form: convert-rope-to-gpu lowers the buffer form (memref "
                            "operands); bufferize first (one-shot-bufferize, as "
                            "--rope-gpu-pipeline does)");
    Buffers buffers = getBuffers(op);
    if (failed(checkBuffers(op, buffers)))
      return failure();
    Location loc = op.getLoc();
    OpBuilder b(op);
    Layout layout = op.getLayout();
    int64_t headDim = op.getHeadDim(), rotaryDim = op.getRotaryDim();
    int64_t p = op.getNumPairs();
    Type elt = cast<MemRefType>(op.getInits()[0].getType()).getElementType();
    int64_t eltBytes = elt.getIntOrFloatBitWidth() / 8;
    // 16-byte vectors of V pairs: a thread's pairs start V lanes apart and
    // rows head_dim lanes apart, so both must be whole vectors (head_dim 100
    // in bf16 has rows 200 bytes apart: every other one misaligned).
    int64_t v = 16 / eltBytes;
    if (p % v != 0 || headDim % v != 0)
      v = 1;
    bool half = op.getPairing() == Pairing::half;
    int64_t threadsX = p / v;
    int64_t threadsY = std::max<int64_t>(1, kThreadsPerBlock / threadsX);

    // Per-pair constant tables: inverse frequencies (f64) and axes (i32).
    SmallVector<double> inv = op.getInverseFrequencies();
    SmallVector<int32_t> axes;
    for (int64_t a : op.getAxisOfPair())
      axes.push_back(a);
    auto invGlobal = makeTable(symbols, module, loc, "__rope_inv_freq",
        DenseElementsAttr::get(RankedTensorType::get({p}, b.getF64Type()), ArrayRef<double>(inv)));
    auto axisGlobal = makeTable(symbols, module, loc, "__rope_axis",
        DenseElementsAttr::get(RankedTensorType::get({p}, b.getI32Type()), ArrayRef<int32_t>(axes)));

    // Token count and sizes, outside the kernel.
    Value dst0 = buffers.dst[0];
    SmallVector<int64_t> tokenDims = getTokenDims(layout);
    SmallVector<Value> tokenSizes;
    Value tokens = cst(b, loc, 1);
    for (int64_t d : tokenDims) {
      tokenSizes.push_back(memref::DimOp::create(b, loc, dst0, d));
      tokens = arith::MulIOp::create(b, loc, tokens, tokenSizes.back());
    }
    SmallVector<Value> heads;
    for (Value dst : buffers.dst) {
      int64_t headDimIndex = layout == Layout::bshd ? 2 : 1;
      Value h = memref::DimOp::create(b, loc, dst, headDimIndex);
      if (layout == Layout::packed)
        h = arith::DivUIOp::create(b, loc, h, cst(b, loc, headDim));
      heads.push_back(h);
    }
    double attention = op.getEffectiveAttentionFactor();
    bool inverse = op.getInverse();

    // The host guard: no launch unless every buffer keeps the kernel's rules.
    FailureOr<Value> ok = buildGuard(b, loc, module, symbols, buffers, v * eltBytes);
    if (failed(ok))
      return failure();
    auto guarded = scf::IfOp::create(b, loc, *ok, /*withElseRegion=*/false);
    b.setInsertionPoint(guarded.thenBlock()->getTerminator());

    Value one = cst(b, loc, 1);
    auto workgroup = gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
    auto tableType = MemRefType::get({p}, b.getF32Type(), MemRefLayoutAttrInterface(), workgroup);
    auto launch = gpu::LaunchOp::create(b, loc, tokens, one, one, cst(b, loc, threadsX),
                                        cst(b, loc, threadsY), one, Value(), Type(),
                                        ValueRange(), TypeRange{tableType, tableType});
    Value cosShared = launch.getWorkgroupAttributions()[0];
    Value sinShared = launch.getWorkgroupAttributions()[1];
    OpBuilder k = OpBuilder::atBlockBegin(&launch.getBody().front());
    Value tx = launch.getThreadIds().x, ty = launch.getThreadIds().y;
    Value t = launch.getBlockIds().x;

    // Token indices: (b, s) for bhsd/bshd, t otherwise.
    auto tokenIndices = [&](OpBuilder &ib) {
      SmallVector<Value> tok;
      if (tokenDims.size() == 2) {
        tok.push_back(arith::DivUIOp::create(ib, loc, t, tokenSizes[1]));
        tok.push_back(arith::RemUIOp::create(ib, loc, t, tokenSizes[1]));
      } else {
        tok.push_back(t);
      }
      return tok;
    };

    // Phase 1, every thread of the block: cos/sin of pairs lid, lid + block size, ...
    // (lid = its linear id), so the trig of a token takes one pair's latency
    // per thread rather than V pairs' on one row while the others wait.
    {
      Value lid = arith::AddIOp::create(
          k, loc, arith::MulIOp::create(k, loc, ty, cst(k, loc, threadsX)), tx);
      auto pairs = scf::ForOp::create(k, loc, lid, cst(k, loc, p), cst(k, loc, threadsX * threadsY));
      OpBuilder f = OpBuilder::atBlockBegin(pairs.getBody());
      SmallVector<Value> tok = tokenIndices(f);
      Value invTable = memref::GetGlobalOp::create(f, loc, invGlobal.getType(), invGlobal.getSymName());
      Value axisTable = memref::GetGlobalOp::create(f, loc, axisGlobal.getType(), axisGlobal.getSymName());
      Value j = pairs.getInductionVar();
      Value invJ = memref::LoadOp::create(f, loc, invTable, ValueRange{j});
      Value axis = arith::IndexCastOp::create(
          f, loc, f.getIndexType(), memref::LoadOp::create(f, loc, axisTable, ValueRange{j}));
      SmallVector<Value> posIdx = {axis};
      posIdx.append(tok.begin(), tok.end());
      Value pos = memref::LoadOp::create(f, loc, buffers.positions, posIdx);
      auto [c, sn] = rope::buildCosSin(f, loc, pos, invJ, attention, inverse);
      memref::StoreOp::create(f, loc, c, cosShared, ValueRange{j});
      memref::StoreOp::create(f, loc, sn, sinShared, ValueRange{j});
    }
    gpu::BarrierOp::create(k, loc);

    // Phase 2, every thread: its pairs of the heads of its head group.
    SmallVector<Value> tok = tokenIndices(k);
    Value pairBase = arith::MulIOp::create(k, loc, tx, cst(k, loc, v));
    auto vecF32 = VectorType::get({v}, k.getF32Type());
    Value cosV = vector::LoadOp::create(k, loc, vecF32, cosShared, ValueRange{pairBase});
    Value sinV = vector::LoadOp::create(k, loc, vecF32, sinShared, ValueRange{pairBase});

    for (auto [src, dst, h] : llvm::zip(buffers.src, buffers.dst, heads)) {
      auto headLoop = scf::ForOp::create(k, loc, ty, h, cst(k, loc, threadsY));
      OpBuilder hb = OpBuilder::atBlockBegin(headLoop.getBody());
      Value head = headLoop.getInductionVar();
      auto index = [&](OpBuilder &ib, Value lane) -> SmallVector<Value> {
        switch (layout) {
        case Layout::bhsd:
          return {tok[0], head, tok[1], lane};
        case Layout::bshd:
          return {tok[0], tok[1], head, lane};
        case Layout::thd:
          return {tok[0], head, lane};
        case Layout::packed:
          return {tok[0], arith::AddIOp::create(
                              ib, loc, arith::MulIOp::create(ib, loc, head, cst(ib, loc, headDim)),
                              lane)};
        }
        llvm_unreachable("unknown layout");
      };
      auto toF32 = [&](Value x) -> Value {
        auto t = VectorType::get({cast<VectorType>(x.getType()).getNumElements()}, hb.getF32Type());
        return elt.isF32() ? x : arith::ExtFOp::create(hb, loc, t, x).getResult();
      };
      auto fromF32 = [&](Value x, int64_t n) -> Value {
        return elt.isF32() ? x
                           : arith::TruncFOp::create(hb, loc, VectorType::get({n}, elt), x).getResult();
      };
      // 16-byte accesses need 16-byte aligned rows: buffers must start at a
      // multiple of 16 bytes (CUDA and PyTorch allocations do).
      llvm::MaybeAlign align(v * eltBytes);
      Value a, c;
      if (half) {
        auto vt = VectorType::get({v}, elt);
        a = vector::LoadOp::create(hb, loc, vt, src, index(hb, pairBase), false, align);
        Value hiLane = arith::AddIOp::create(hb, loc, pairBase, cst(hb, loc, p));
        c = vector::LoadOp::create(hb, loc, vt, src, index(hb, hiLane), false, align);
      } else {
        auto vt = VectorType::get({2 * v}, elt);
        Value lane0 = arith::MulIOp::create(hb, loc, pairBase, cst(hb, loc, 2));
        Value both = vector::LoadOp::create(hb, loc, vt, src, index(hb, lane0), false, align);
        SmallVector<int64_t> even, odd;
        for (int64_t i = 0; i < v; ++i) {
          even.push_back(2 * i);
          odd.push_back(2 * i + 1);
        }
        a = vector::ShuffleOp::create(hb, loc, both, both, even);
        c = vector::ShuffleOp::create(hb, loc, both, both, odd);
      }
      Value af = toF32(a), cf = toF32(c);
      // R1: y[a] = x[a] cos - x[b] sin; y[b] = x[b] cos + x[a] sin.
      Value ya = arith::SubFOp::create(hb, loc, arith::MulFOp::create(hb, loc, af, cosV),
                                       arith::MulFOp::create(hb, loc, cf, sinV));
      Value yb = arith::AddFOp::create(hb, loc, arith::MulFOp::create(hb, loc, cf, cosV),
                                       arith::MulFOp::create(hb, loc, af, sinV));
      if (half) {
        vector::StoreOp::create(hb, loc, fromF32(ya, v), dst, index(hb, pairBase), false, align);
        Value hiLane = arith::AddIOp::create(hb, loc, pairBase, cst(hb, loc, p));
        vector::StoreOp::create(hb, loc, fromF32(yb, v), dst, index(hb, hiLane), false, align);
      } else {
        SmallVector<int64_t> interleave;
        for (int64_t i = 0; i < v; ++i) {
          interleave.push_back(i);
          interleave.push_back(v + i);
        }
        Value both = vector::ShuffleOp::create(hb, loc, ya, yb, interleave);
        Value lane0 = arith::MulIOp::create(hb, loc, pairBase, cst(hb, loc, 2));
        vector::StoreOp::create(hb, loc, fromF32(both, 2 * v), dst, index(hb, lane0), false,
                                align);
      }
      // Lanes [R, D) pass through when rotating out of place: 16-byte
      // vectors when R and D - R allow (element by element, GPT-J rotating
      // 64 of 128 ran at 82-90 % of a copy on an H200).
      if (rotaryDim < headDim && src != dst) {
        int64_t width = 16 / eltBytes;
        if (rotaryDim % width != 0 || (headDim - rotaryDim) % width != 0)
          width = 1;
        auto pass = scf::ForOp::create(
            hb, loc, arith::MulIOp::create(hb, loc, tx, cst(hb, loc, width)),
            cst(hb, loc, headDim - rotaryDim), cst(hb, loc, threadsX * width));
        OpBuilder pb = OpBuilder::atBlockBegin(pass.getBody());
        Value lane = arith::AddIOp::create(pb, loc, pass.getInductionVar(), cst(pb, loc, rotaryDim));
        if (width == 1) {
          Value x = memref::LoadOp::create(pb, loc, src, index(pb, lane));
          memref::StoreOp::create(pb, loc, x, dst, index(pb, lane));
        } else {
          auto vt = VectorType::get({width}, elt);
          Value x = vector::LoadOp::create(pb, loc, vt, src, index(pb, lane), false, align);
          vector::StoreOp::create(pb, loc, x, dst, index(pb, lane), false, align);
        }
      }
    }
    k.setInsertionPointToEnd(&launch.getBody().front());
    gpu::TerminatorOp::create(k, loc);

    op->erase();
    return success();
  }
};
} // namespace
