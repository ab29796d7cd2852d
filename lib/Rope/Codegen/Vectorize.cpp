//===- Vectorize.cpp - tile linalg to 1-D rows and vectorize --------------===//

#include "Rope/Codegen/Passes.h"
#include "Rope/Utils/KeepdimReductions.h"
#include "Rope/Utils/VectorRows.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEVECTORIZE
#define GEN_PASS_DEF_ROPEAPPROXIMATEMATH
#include "Rope/Codegen/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {
/// A pair row at least this large is not grouped with other heads'.
constexpr int64_t kRegisterBits = 512;

/// An in-place rotation reads pairs of its own destination. After tiling, such
/// an input still slices the destination as it was before the loop, so
/// bufferization must copy it. When the input reads only the tile that the
/// iteration writes (the dims its map drops are untiled), reading the
/// loop-carried destination gives the same values; rewire it, so that each
/// iteration reads then writes one buffer in place.
static void readOwnDestinationInLoop(RewriterBase &rewriter,
                                     linalg::LinalgOp original,
                                     ArrayRef<bool> untiled,
                                     const scf::SCFTilingResult &tiled) {
  if (original.getNumDpsInits() != 1 || tiled.loops.empty())
    return;
  auto innermost = dyn_cast<scf::ForOp>(
      const_cast<LoopLikeOpInterface &>(tiled.loops.back()).getOperation());
  if (!innermost || innermost.getNumRegionIterArgs() != 1)
    return;
  Value dest = original.getDpsInits()[0];
  AffineMap outMap = original.getIndexingMapMatchingResult(
      cast<OpResult>(original->getResult(0)));
  auto tiledOp = cast<linalg::LinalgOp>(tiled.tiledOps.front());
  for (OpOperand *input : original.getDpsInputOperands()) {
    auto whole = input->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!whole || whole.getSource() != dest)
      continue;
    AffineMap inMap = original.getMatchingIndexingMap(input);
    // The input map must be the output map with untiled dims dropped.
    SmallVector<int64_t> dropped;
    for (unsigned r = 0; r < outMap.getNumResults(); ++r) {
      unsigned dim = cast<AffineDimExpr>(outMap.getResult(r)).getPosition();
      if (!inMap.isFunctionOfDim(dim))
        dropped.push_back(r);
    }
    if (!llvm::all_of(dropped, [&](int64_t r) {
          return untiled[cast<AffineDimExpr>(outMap.getResult(r)).getPosition()];
        }))
      continue;
    OpOperand &tiledInput = tiledOp->getOpOperand(input->getOperandNumber());
    auto tile = tiledInput.get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!tile || tile.getSource() != whole.getResult())
      continue;
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(tiledOp);
    IRMapping map;
    map.map(dest, innermost.getRegionIterArgs()[0]);
    Operation *carried = rewriter.clone(*whole, map);
    map.map(whole.getResult(), carried->getResult(0));
    Operation *carriedTile = rewriter.clone(*tile, map);
    rewriter.modifyOpInPlace(tiledOp, [&]() {
      tiledInput.set(carriedTile->getResult(0));
    });
  }
}

/// `row` split along its innermost loop into pieces of power-of-two sizes,
/// largest first (ViT's 40 pairs: 32 + 8), so that a row of bf16 has whole
/// 32-lane groups for the packed bf16 paths (rope-codegen-bf16-even-odd-lanes,
/// rope-x86-avx512bf16-truncf); 5 x 8 lanes (rope-codegen-unroll-odd-vectors) take
/// neither. Only a parallel innermost loop is split (each element is then
/// computed as before); rows whose smallest piece would be under 4 lanes are
/// left whole. Fails when splitOp does, which leaves the IR half rewritten.
static FailureOr<SmallVector<Operation *>> splitIntoPowersOfTwo(RewriterBase &rewriter,
                                                                linalg::LinalgOp row) {
  SmallVector<int64_t> ranges = row.getStaticLoopRanges();
  if (ranges.empty() || ShapedType::isDynamic(ranges.back()) ||
      row.getIteratorTypesArray().back() != utils::IteratorType::parallel)
    return SmallVector<Operation *>{row};
  auto size = static_cast<uint64_t>(ranges.back());
  if (size == 0 || llvm::isPowerOf2_64(size) || (uint64_t(1) << llvm::countr_zero(size)) < 4)
    return SmallVector<Operation *>{row};
  SmallVector<Operation *> pieces;
  TilingInterface rest = cast<TilingInterface>(row.getOperation());
  unsigned dim = ranges.size() - 1;
  while (!llvm::isPowerOf2_64(size)) {
    uint64_t head = llvm::bit_floor(size);
    rewriter.setInsertionPoint(rest);
    auto [first, second] = linalg::splitOp(rewriter, rest, dim,
                                           rewriter.getIndexAttr(head));
    if (!first || !second)
      return failure();
    pieces.push_back(first);
    rest = second;
    size -= head;
  }
  pieces.push_back(rest);
  return pieces;
}

/// A read of a tensor built by insert_slice (a split op's result, e.g. the
/// per-token cos/sin) that lies inside the inserted slice reads the slice's
/// source, and one disjoint from it reads the destination; the read then
/// meets the transfer_write that made its values and folds to them, instead
/// of the tensor going through memory.
struct ReadThroughInsertSlice : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto insert = read.getBase().getDefiningOp<tensor::InsertSliceOp>();
    if (!insert)
      return rewriter.notifyMatchFailure(read, "not a read of an insert_slice");
    RankedTensorType destType = insert.getDestType();
    int64_t rank = destType.getRank();
    if (insert.getSourceType().getRank() != rank || read.getMask() ||
        read.getVectorType().isScalable() ||
        !read.getPermutationMap().isMinorIdentity() ||
        llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }) ||
        !insert.hasUnitStride())
      return rewriter.notifyMatchFailure(read, "not a plain in-bounds read of a same-rank slice");
    ArrayRef<int64_t> offsets = insert.getStaticOffsets();
    ArrayRef<int64_t> sizes = insert.getStaticSizes();
    if (ShapedType::isDynamicShape(offsets) || ShapedType::isDynamicShape(sizes) ||
        !destType.hasStaticShape())
      return rewriter.notifyMatchFailure(read, "dynamic slice");
    int64_t vectorRank = read.getVectorType().getRank();
    bool inside = true, disjoint = false;
    // Per dim: the read's index in the slice, or none where the slice spans
    // the dim (the index stays).
    SmallVector<std::optional<int64_t>> inSlice;
    for (int64_t d = 0; d < rank; ++d) {
      if (offsets[d] == 0 && sizes[d] == destType.getDimSize(d)) {
        inSlice.push_back(std::nullopt);
        continue;
      }
      std::optional<int64_t> at = getConstantIntValue(read.getIndices()[d]);
      if (!at)
        return rewriter.notifyMatchFailure(read, "index not constant where the slice is partial");
      int64_t length = d < rank - vectorRank
                           ? 1
                           : read.getVectorType().getDimSize(d - (rank - vectorRank));
      if (*at + length <= offsets[d] || *at >= offsets[d] + sizes[d])
        disjoint = true;
      else if (*at < offsets[d] || *at + length > offsets[d] + sizes[d])
        inside = false;
      inSlice.push_back(*at - offsets[d]);
    }
    if (disjoint) {
      rewriter.modifyOpInPlace(read, [&] { read.getBaseMutable().assign(insert.getDest()); });
      return success();
    }
    if (!inside)
      return rewriter.notifyMatchFailure(read, "read overlaps the slice's edge");
    SmallVector<Value> shifted;
    for (auto [index, at] : llvm::zip_equal(read.getIndices(), inSlice))
      shifted.push_back(at ? arith::ConstantIndexOp::create(rewriter, read.getLoc(), *at) : index);
    rewriter.modifyOpInPlace(read, [&] {
      read.getBaseMutable().assign(insert.getSource());
      read.getIndicesMutable().assign(shifted);
    });
    return success();
  }
};

/// The tensor `value` is a slice of (through extract_slice).
static Value sliceRoot(Value value) {
  while (auto slice = value.getDefiningOp<tensor::ExtractSliceOp>())
    value = slice.getSource();
  return value;
}

/// Moves each read of a tensor in `block` that follows a write into a slice
/// of that tensor to before the first such write. A later piece of a split
/// row reads its own lanes of the row an earlier piece writes (in place);
/// bufferization takes a read after the write as a read of an overwritten
/// buffer and copies the row, although the lanes differ. Tensor reads are
/// pure, so the move changes no value. (Each read scans back to the
/// definition of its operands: linear in the block per read.)
static void readBeforeSliceWrites(Block &block) {
  for (Operation &op : llvm::make_early_inc_range(block)) {
    auto read = dyn_cast<vector::TransferReadOp>(&op);
    if (!read || !isa<RankedTensorType>(read.getBase().getType()))
      continue;
    Value base = sliceRoot(read.getBase());
    Operation *firstWrite = nullptr;
    for (Operation *prev = read->getPrevNode(); prev; prev = prev->getPrevNode()) {
      if (llvm::any_of(prev->getResults(),
                       [&](Value r) { return llvm::is_contained(read->getOperands(), r); }))
        break;
      Value dest;
      if (auto insert = dyn_cast<tensor::InsertSliceOp>(prev))
        dest = insert.getDest();
      else if (auto write = dyn_cast<vector::TransferWriteOp>(prev))
        dest = write.getBase();
      if (dest && sliceRoot(dest) == base)
        firstWrite = prev;
    }
    if (firstWrite)
      read->moveBefore(firstWrite);
  }
}

struct RopeVectorizePass : public rope::impl::RopeVectorizeBase<RopeVectorizePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);
    // A keepdim reduction (torch's mean(-1, keepdim=True): an output map
    // with a constant 0) vectorizes into writes that the cleanup patterns
    // below rewrite back and forth (broadcast to a leading unit dim, extract
    // it again: 470k ops from one RMSNorm). Without its unit dims it
    // vectorizes plainly; only such ops are touched, the rope rows keep
    // their shapes.
    SmallVector<linalg::GenericOp> keepdims;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (rope::indexesWithConstant(op, op->getOpOperands()))
        keepdims.push_back(op);
    });
    for (linalg::GenericOp op : keepdims)
      rope::replaceWithoutUnitDims(rewriter, op);
    SmallVector<linalg::LinalgOp> candidates;
    // An output indexed by a reduction loop verifies, but linalg's
    // vectorizer then reduces into a vector of the wrong shape (invalid
    // vector.multi_reduction, found by the fuzzer): such ops stay scalar.
    auto outputIndexedByReduction = [](linalg::LinalgOp op) {
      SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
      return llvm::any_of(op.getDpsInitsMutable(), [&](OpOperand &init) {
        return llvm::any_of(op.getMatchingIndexingMap(&init).getResults(), [&](AffineExpr e) {
          auto dim = dyn_cast<AffineDimExpr>(e);
          return dim && iterators[dim.getPosition()] == utils::IteratorType::reduction;
        });
      });
    };
    // An output still read at a constant index (a dim that is not a unit
    // one, which dropUnitDims leaves: the fuzzer's reduction into element 0
    // of a 1024-wide row) meets the same back-and-forth of the transfer
    // cleanups: such ops stay scalar too.
    auto outputAtConstant = [](linalg::LinalgOp op) {
      return llvm::any_of(op.getDpsInitsMutable(), [&](OpOperand &init) {
        return llvm::any_of(op.getMatchingIndexingMap(&init).getResults(),
                            llvm::IsaPred<AffineConstantExpr>);
      });
    };
    // A vector of i1 is packed one bit per element in LLVM, a buffer of i1
    // one byte per element (as numpy and torch bool tensors are): a
    // vectorized read of a boolean mask read 8 elements from one byte
    // (new-user trial: wrong attention masks, exit 0). Ops on i1 tensors
    // stay scalar.
    auto touchesI1 = [](linalg::LinalgOp op) {
      auto isI1 = [](Type t) { return getElementTypeOrSelf(t).isInteger(1); };
      return llvm::any_of(op->getOperandTypes(), isI1) || llvm::any_of(op->getResultTypes(), isI1);
    };
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && op.getNumLoops() > 0 && !outputIndexedByReduction(op) &&
          !outputAtConstant(op) && !touchesI1(op))
        candidates.push_back(op);
    });
    // Split rows only in functions with bf16 (what the packed paths take),
    // and then every row of the function alike, so that the per-token
    // cos/sin pieces meet the head-loop pieces that read them. For f32 the
    // 8-lane slices measured 3-4 % faster from memory than 32 + 8 (ViT,
    // 32768 tokens): the second half-row's 512-bit accesses straddle lines.
    bool splitRows = llvm::any_of(candidates, [](linalg::LinalgOp op) {
      auto isBF16 = [](Type t) { return getElementTypeOrSelf(t).isBF16(); };
      return llvm::any_of(op->getOperandTypes(), isBF16) ||
             llvm::any_of(op->getResultTypes(), isBF16);
    });
    for (linalg::LinalgOp op : candidates) {
      // Keep the trailing static dims whole (one pair row, or both lanes of
      // every pair) up to kMaxVectorElements; tile every other dim by one.
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      int64_t kept = 0, elements = 1;
      // A trailing dim longer than kMaxVectorElements (a matmul's 4096-long
      // reduction, a softmax row) is cut into equal tiles of its largest
      // divisor that fits, so that vectors stay bounded whatever the static
      // sizes and every tile is full (a remainder tile would not vectorize).
      int64_t trailingTile = 0;
      Type elt = op.getNumDpsInits() == 0
                     ? Type()
                     : getElementTypeOrSelf(op.getDpsInits().front().getType());
      int64_t eltBits = elt && elt.isIntOrFloat() ? elt.getIntOrFloatBitWidth() : 0;
      for (int64_t d = ranges.size() - 1; d >= 0; --d) {
        // (Divided, not multiplied: a static size near 2^63 overflowed the
        // product; fuzzer. A zero-size dim makes the product 0.)
        if (ShapedType::isDynamic(ranges[d]) ||
            (kept > 0 && elements > 0 && ranges[d] > kMaxVectorElements / elements))
          break;
        if (ranges[d] > kMaxVectorElements) {
          trailingTile = rope::largestDivisorAtMost(ranges[d], kMaxVectorElements);
          elements = trailingTile;
          ++kept;
          break;
        }
        elements *= ranges[d];
        ++kept;
        // A pair row (both lanes, every pair) that fills a 512-bit register
        // is the unit: folding heads in as well (GQA's 4 key heads of 128
        // are 512 values) unrolls them in the token loop, which measured
        // 4-6 % slower in bf16 from memory (Qwen2-VL's keys) than a loop
        // over heads. Smaller rows (a partial rotary of 16 values) still
        // take several heads per vector.
        if (kept == 2 && (ranges[d] == 2 || ranges[d + 1] == 2) &&
            elements * eltBits >= kRegisterBits)
          break;
      }
      if (kept == 0)
        continue;
      Operation *row = op;
      if (kept < (int64_t)ranges.size() || trailingTile != 0) {
        SmallVector<OpFoldResult> sizes(ranges.size(), rewriter.getIndexAttr(1));
        SmallVector<bool> untiled(ranges.size(), false);
        for (int64_t d = ranges.size() - kept; d < (int64_t)ranges.size(); ++d) {
          sizes[d] = rewriter.getIndexAttr(0);
          untiled[d] = true;
        }
        if (trailingTile != 0) {
          sizes.back() = rewriter.getIndexAttr(trailingTile);
          untiled.back() = false;
        }
        scf::SCFTilingOptions options;
        options.setTileSizes(sizes);
        rewriter.setInsertionPoint(op);
        FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
            rewriter, cast<TilingInterface>(op.getOperation()), options);
        if (failed(tiled))
          continue;
        readOwnDestinationInLoop(rewriter, op, untiled, *tiled);
        rewriter.replaceOp(op, tiled->replacements);
        row = tiled->tiledOps.front();
      }
      SmallVector<Operation *> pieces = {row};
      if (splitRows) {
        FailureOr<SmallVector<Operation *>> split =
            splitIntoPowersOfTwo(rewriter, cast<linalg::LinalgOp>(row));
        if (failed(split)) {
          row->emitError("rope-codegen-vectorize: splitting the row into power-of-two pieces failed");
          return signalPassFailure();
        }
        pieces = std::move(*split);
      }
      for (Operation *piece : pieces) {
        rewriter.setInsertionPoint(piece);
        FailureOr<linalg::VectorizationResult> vectorized =
            linalg::vectorize(rewriter, piece);
        if (succeeded(vectorized))
          rewriter.replaceOp(piece, vectorized->replacements);
      }
    }

    RewritePatternSet patterns(ctx);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateSinkVectorOpsPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, ctx);
    patterns.add<ReadThroughInsertSlice>(ctx);
    // Upstream's vector patterns can undo each other forever on some inputs
    // (a row built by rank-reducing insert_slices grew vector.broadcasts
    // without end): stop after a bounded number of rewrites. Every rewrite
    // keeps the IR valid and its values, so an unfinished cleanup is still
    // correct, only less tidy.
    int64_t numOps = 0;
    getOperation()->walk([&](Operation *) { ++numOps; });
    GreedyRewriteConfig config;
    config.setMaxNumRewrites(64 * numOps + 1024);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns), config);
    // Also after reads that ReadThroughInsertSlice sent to a destination
    // that an insert_slice overwrites.
    SmallVector<Block *> blocks;
    getOperation()->walk([&](Block *block) { blocks.push_back(block); });
    for (Block *block : blocks)
      readBeforeSliceWrites(*block);
  }
};

/// sin and cos of one f32 value from one Cody-Waite reduction to
/// [-pi/4, pi/4] and two short polynomials (Cephes' sinf/cosf
/// coefficients, about 1e-7 absolute for |x| up to ~1e4), where separate
/// math.sin and math.cos approximations evaluate four polynomials and reduce
/// twice. Quadrant q: sin = [s, c, -s, -c][q % 4], cos = [c, -s, -c, s][q % 4].
struct ApproximateSinCos : OpRewritePattern<math::SincosOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::SincosOp op, PatternRewriter &rewriter) const override {
    Type type = op.getOperand().getType();
    if (!getElementTypeOrSelf(type).isF32())
      return rewriter.notifyMatchFailure(op, "only f32 is approximated");
    Location loc = op.getLoc();
    auto c = [&](double v) -> Value {
      Attribute a = rewriter.getF32FloatAttr(static_cast<float>(v));
      if (auto vt = dyn_cast<VectorType>(type))
        a = DenseElementsAttr::get(vt, cast<FloatAttr>(a).getValue());
      return arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(a));
    };
    Type intType = rewriter.getI32Type();
    if (auto vt = dyn_cast<VectorType>(type))
      intType = VectorType::get(vt.getShape(), intType);
    auto ci = [&](int32_t v) -> Value {
      Attribute a = rewriter.getI32IntegerAttr(v);
      if (auto vt = dyn_cast<VectorType>(intType))
        a = DenseElementsAttr::get(vt, cast<IntegerAttr>(a).getValue());
      return arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(a));
    };
    auto mul = [&](Value a, Value b) { return arith::MulFOp::create(rewriter, loc, a, b).getResult(); };
    auto fma = [&](Value a, Value b, Value d) { return math::FmaOp::create(rewriter, loc, a, b, d).getResult(); };
    Value x = op.getOperand();
    Value q = math::RoundEvenOp::create(rewriter, loc, mul(x, c(2.0 / M_PI)));
    // pi/2 = 1.5703125 + 4.837512969970703125e-4 + 7.54978995489188216e-8
    Value r = fma(q, c(-1.5703125), x);
    r = fma(q, c(-4.837512969970703125e-4), r);
    r = fma(q, c(-7.54978995489188216e-8), r);
    Value r2 = mul(r, r);
    Value sp = fma(r2, c(-1.9515295891e-4), c(8.3321608736e-3));
    sp = fma(r2, sp, c(-1.6666654611e-1));
    sp = fma(mul(r2, r), sp, r);
    Value cp = fma(r2, c(2.443315711809948e-5), c(-1.388731625493765e-3));
    cp = fma(r2, cp, c(4.166664568298827e-2));
    cp = fma(mul(r2, r2), cp, fma(r2, c(-0.5), c(1.0)));
    Value qi = arith::FPToSIOp::create(rewriter, loc, intType, q);
    auto bit = [&](Value v, int32_t m) {
      return arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ne,
                                   arith::AndIOp::create(rewriter, loc, v, ci(m)), ci(0))
          .getResult();
    };
    Value swap = bit(qi, 1);
    Value s0 = arith::SelectOp::create(rewriter, loc, swap, cp, sp);
    Value c0 = arith::SelectOp::create(rewriter, loc, swap, sp, cp);
    Value sinNeg = bit(qi, 2);
    Value cosNeg = bit(arith::AddIOp::create(rewriter, loc, qi, ci(1)), 2);
    Value sin = arith::SelectOp::create(rewriter, loc, sinNeg,
                                        arith::NegFOp::create(rewriter, loc, s0), s0);
    Value cos = arith::SelectOp::create(rewriter, loc, cosNeg,
                                        arith::NegFOp::create(rewriter, loc, c0), c0);
    rewriter.replaceOp(op, {sin, cos});
    return success();
  }
};

struct RopeApproximateMathPass
    : public rope::impl::RopeApproximateMathBase<RopeApproximateMathPass> {
  void runOnOperation() override {
    // A float sum or product reduced in order is a chain of dependent adds
    // (128 per QK-norm row: the fused QK-norm + RoPE loop spent most of its
    // time there); reassociated, LLVM reduces a tree, as torch's vectorized
    // reductions do.
    getOperation()->walk([](vector::ReductionOp reduction) {
      if (isa<FloatType>(reduction.getType()) &&
          (reduction.getKind() == vector::CombiningKind::ADD ||
           reduction.getKind() == vector::CombiningKind::MUL))
        reduction.setFastmath(reduction.getFastmath() | arith::FastMathFlags::reassoc);
    });
    RewritePatternSet patterns(&getContext());
    patterns.add<ApproximateSinCos>(&getContext(), /*benefit=*/2);
    // A vectorized math.fpowi has a vector exponent, which llvm.intr.powi
    // does not take: RMSNorm's pow(x, 2) becomes x * x, any other exponent
    // exp2-based powf.
    populateMathAlgebraicSimplificationPatterns(patterns);
    math::populateExpansionPatterns(patterns, {"fpowi"});
    // The set upstream's approximation pass applies: f32 sin/cos (and exp,
    // log, tanh, ...) become branch-free vector polynomials.
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
