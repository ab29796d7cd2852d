//===- FuseNeighbours.cpp - fuse rope ops with their neighbours -----------===//

#include "Rope/IR/RopeOps.h"
#include "Rope/Transforms/Passes.h"
#include "Rope/Utils/KeepdimReductions.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::rope {
#define GEN_PASS_DEF_ROPEFUSENEIGHBOURS
#include "Rope/Transforms/Passes.h.inc"
} // namespace mlir::rope

using namespace mlir;
using namespace mlir::rope;

namespace {
/// Whether a token tile of `producer` belongs in the rope op's tile loop:
/// elementwise ops, reductions over dims the tile keeps whole (QK-norm over
/// head_dim), transposes, fills. A projection (contraction) or convolution
/// would be re-tiled by tokens only, against how it should be tiled.
/// Its results must be tiles of its loops (projected permutations): linalg
/// cannot tile a keepdim reduction's output map with a constant, which the
/// pass first rewrites without its unit dims (dropKeepdimUnitDims).
bool isFusableProducer(Operation *producer) {
  auto linalgOp = dyn_cast_if_present<linalg::LinalgOp>(producer);
  return linalgOp && linalgOp.hasPureTensorSemantics() &&
         !linalg::isaContractionOpInterface(linalgOp) &&
         !linalg::isaConvolutionOpInterface(linalgOp) &&
         llvm::all_of(linalgOp.getDpsInitsMutable(), [&](OpOperand &init) {
           return linalgOp.getMatchingIndexingMap(&init).isProjectedPermutation();
         });
}

/// Whether `op` is a keepdim reduction as torch-mlir writes one
/// (`sum(-1, keepdim=True)`: an output map with a constant 0).
bool isKeepdimGeneric(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  return generic && rope::indexesWithConstant(generic, generic.getDpsInitsMutable());
}

/// The op that computes `value`, seen through reshapes (whose slices the
/// cleanup patterns bubble up to their source).
Operation *producerThroughReshapes(Value value) {
  Operation *def = value.getDefiningOp();
  while (isa_and_present<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
    def = def->getOperand(0).getDefiningOp();
  return def;
}

/// A rope op's results, each used only by slices inside loops after it in
/// its block: a consumer's own token loop, such as a paged KV-cache write
/// (a slot per token). Such a result is computed in that loop, a tile per
/// slice.
SmallVector<tensor::ExtractSliceOp> slicesInConsumerLoops(Operation *op) {
  SmallVector<tensor::ExtractSliceOp> slices;
  Region *region = op->getParentRegion();
  for (OpResult result : op->getResults()) {
    SmallVector<tensor::ExtractSliceOp> resultSlices;
    for (Operation *user : result.getUsers()) {
      auto slice = dyn_cast<tensor::ExtractSliceOp>(user);
      Operation *ancestor = region->findAncestorOpInRegion(*user);
      if (!slice || !isa<LoopLikeOpInterface>(slice->getParentOp()) || ancestor == user ||
          !op->isBeforeInBlock(ancestor)) {
        resultSlices.clear();
        break;
      }
      resultSlices.push_back(slice);
    }
    llvm::append_range(slices, resultSlices);
  }
  return slices;
}

/// The loops around `slice` up to `region`, outermost first.
SmallVector<LoopLikeOpInterface> loopsAround(Operation *slice, Region *region) {
  SmallVector<LoopLikeOpInterface> loops;
  for (Operation *parent = slice->getParentOp(); parent && parent->getParentRegion() != nullptr;
       parent = parent->getParentOp()) {
    if (auto loop = dyn_cast<LoopLikeOpInterface>(parent))
      loops.insert(loops.begin(), loop);
    if (parent->getParentRegion() == region)
      break;
  }
  return loops;
}

struct RopeFuseNeighboursPass
    : public rope::impl::RopeFuseNeighboursBase<RopeFuseNeighboursPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileSize <= 0) {
      getOperation()->emitError("rope-fuse-neighbours: tile-size must be positive");
      return signalPassFailure();
    }
    // Slices of a reshape's result become reshapes of a slice of its
    // source, so that the producer of the source (a projection's
    // [tokens, H*D]) is reached; consecutive slices merge into one; a slice
    // of a tensor.empty (a fused producer's destination) becomes a
    // tile-sized tensor.empty, so that bufferization allocates a tile, not
    // the whole tensor.
    RewritePatternSet cleanup(&getContext());
    tensor::populateBubbleUpExtractSliceOpPatterns(cleanup);
    tensor::populateMergeConsecutiveInsertExtractSlicePatterns(cleanup);
    tensor::populateFoldTensorEmptyPatterns(cleanup);
    memref::populateResolveRankedShapedTypeResultDimsPatterns(cleanup);
    FrozenRewritePatternSet frozenCleanup(std::move(cleanup));

    RewritePatternSet fusion(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(fusion, [](OpOperand *fused) {
      auto consumer = cast<linalg::LinalgOp>(fused->getOwner());
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse() &&
             consumer.getMatchingIndexingMap(fused).isPermutation();
    });
    FrozenRewritePatternSet frozenFusion(std::move(fusion));
    elementwiseFusion = &frozenFusion;

    IRRewriter rewriter(&getContext());
    for (TilingInterface op : ropeOps())
      dropKeepdimUnitDims(rewriter, op);
    // The sizes of a producer's result read from its operands, so that a
    // tensor.dim of it (dropUnitDims makes some) does not keep it outside
    // the loop.
    RewritePatternSet dims(&getContext());
    memref::populateResolveRankedShapedTypeResultDimsPatterns(dims);
    (void)applyPatternsGreedily(getOperation(), std::move(dims));
    // Collected again after the patterns, whose driver erases dead ops.
    SmallVector<TilingInterface> ops = ropeOps();
    for (TilingInterface op : ops) {
      if (fuseIntoConsumerLoops(rewriter, op, frozenCleanup))
        continue;
      // Nothing to fuse: rope-tile-tokens tiles the op (with its serial
      // loop for few tokens).
      SetVector<Operation *> reachable = fusionCandidates(op);
      if (!llvm::any_of(
              cast<DestinationStyleOpInterface>(op.getOperation()).getDpsInputs(), [&](Value in) {
                Operation *producer = producerThroughReshapes(in);
                return isFusableProducer(producer) && !usedBefore(op, producer, reachable);
              }))
        continue;
      if (failed(tileAndFuseProducers(rewriter, op, reachable, frozenCleanup)))
        return signalPassFailure();
    }
    // The fused producers whose every use moved into the loops, and the
    // slices of them that fusion left unused.
    (void)runRegionDCE(rewriter, getOperation()->getRegions());
  }

  /// Elementwise fusion of the generics inside a fused loop (set for the
  /// duration of runOnOperation).
  const FrozenRewritePatternSet *elementwiseFusion = nullptr;

  SmallVector<TilingInterface> ropeOps() {
    SmallVector<TilingInterface> ops;
    // Fusion is of tensor producers and consumers: the buffer form stays.
    getOperation()->walk([&](Operation *op) {
      if (isa<RotateOp, RotateWithTablesOp>(op) &&
          cast<DestinationStyleOpInterface>(op).hasPureTensorSemantics())
        ops.push_back(cast<TilingInterface>(op));
    });
    return ops;
  }

  /// Rewrites the keepdim reductions that feed `op` (QK-norm's sum of
  /// squares, as torch-mlir writes it) without their unit dims, as
  /// rope-codegen-vectorize would later: their results then tile by tokens.
  void dropKeepdimUnitDims(IRRewriter &rewriter, TilingInterface op) {
    Region *region = op->getParentRegion();
    BackwardSliceOptions sliceOptions;
    sliceOptions.filter = [&](Operation *candidate) {
      return candidate->getParentRegion() == region &&
             (candidate == op || isFusableProducer(candidate) || isKeepdimGeneric(candidate) ||
              isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(candidate));
    };
    SetVector<Operation *> producers;
    (void)getBackwardSlice(op.getOperation(), &producers, sliceOptions);
    for (Operation *producer : producers) {
      if (isKeepdimGeneric(producer))
        rope::replaceWithoutUnitDims(rewriter, cast<linalg::GenericOp>(producer));
    }
  }

  /// Whether the token tiles of `op` run in parallel: with `parallel`, unless
  /// its static token count is below `min-parallel-tokens` (a decode step,
  /// where forking threads would cost more than the work).
  bool parallelTiles(TilingInterface op) {
    if (!parallel)
      return false;
    auto init = cast<RankedTensorType>(
        cast<DestinationStyleOpInterface>(op.getOperation()).getDpsInits().front().getType());
    auto layout = op->getAttrOfType<LayoutAttr>("layout");
    int64_t tokens = 1;
    for (int64_t dim : getTokenDims(layout.getValue())) {
      if (init.isDynamicDim(dim))
        return true;
      tokens *= init.getDimSize(dim);
    }
    return tokens >= minParallelTokens;
  }

  /// The ops fusion may reach from `op`: fusable producers, reshapes and
  /// empties in its block, in topological order.
  SetVector<Operation *> fusionCandidates(TilingInterface op) {
    Region *region = op->getParentRegion();
    BackwardSliceOptions sliceOptions;
    sliceOptions.inclusive = false;
    // The filter sees the op itself first.
    sliceOptions.filter = [&](Operation *candidate) {
      return candidate == op.getOperation() ||
             (candidate->getParentRegion() == region &&
              (isFusableProducer(candidate) ||
               isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::EmptyOp>(candidate)));
    };
    SetVector<Operation *> reachable;
    (void)getBackwardSlice(op.getOperation(), &reachable, sliceOptions);
    return reachable;
  }

  /// The ancestors, in `op`'s block, of the users of `producer` that are
  /// neither `op`, nor among `reachable`, nor inside `loop`.
  SmallVector<Operation *> usersElsewhere(Operation *op, Operation *producer,
                                          const SetVector<Operation *> &reachable,
                                          Operation *loop = nullptr) {
    SmallVector<Operation *> elsewhere;
    for (Operation *user : producer->getUsers()) {
      Operation *ancestor = op->getParentRegion()->findAncestorOpInRegion(*user);
      if (ancestor && ancestor != op && !reachable.contains(ancestor) && ancestor != loop)
        elsewhere.push_back(ancestor);
    }
    return elsewhere;
  }

  /// Whether something other than what fusion reaches uses `producer`
  /// before `op`: the producer's whole value exists before the op then, and
  /// fusing it would compute it twice.
  bool usedBefore(Operation *op, Operation *producer, const SetVector<Operation *> &reachable) {
    return llvm::any_of(usersElsewhere(op, producer, reachable),
                        [&](Operation *user) { return !op->isBeforeInBlock(user); });
  }

  /// Tiles `op` over tokens and fuses its producers into the loop. A
  /// producer with uses outside what is fused is fused only if those uses
  /// follow the op, and then the loop yields its value for them; otherwise
  /// it stays where it is, computed once.
  LogicalResult tileAndFuseProducers(IRRewriter &rewriter, TilingInterface op,
                                     const SetVector<Operation *> &reachable,
                                     const FrozenRewritePatternSet &cleanup) {
    Region *region = op->getParentRegion();
    scf::SCFTileAndFuseOptions options;
    options.setTilingOptions(tokenTilingOptions(op, tileSize, parallelTiles(op)));
    options.setFusionControlFn(
        [&](tensor::ExtractSliceOp slice, OpResult producer,
            bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          Operation *owner = producer.getOwner();
          if (!isFusableProducer(owner) || usedBefore(op, owner, reachable))
            return std::nullopt;
          Operation *loop = region->findAncestorOpInRegion(*slice);
          return scf::SCFTileAndFuseOptions::ControlFnResult{
              !usersElsewhere(op, owner, reachable, loop).empty()};
        });
    options.cleanupPatterns = cleanup;
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTileAndFuseResult> fused =
        scf::tileConsumerAndFuseProducersUsingSCF(rewriter, op, options);
    if (failed(fused))
      return op->emitError("rope-fuse-neighbours: failed to tile over tokens");
    Operation *outerLoop = fused->loops.front();
    for (auto [original, replacement] : fused->replacements)
      rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
        Operation *ancestor = region->findAncestorOpInRegion(*use.getOwner());
        return ancestor && ancestor != outerLoop && outerLoop->isBeforeInBlock(ancestor);
      });
    rewriter.eraseOp(op);
    eraseDead(rewriter, reachable);
    fuseTheRest(rewriter, fused->loops, cleanup);
    return success();
  }

  /// Erases the fused originals among `reachable` that nothing uses now
  /// (topologically sorted, so users go first).
  static void eraseDead(IRRewriter &rewriter, const SetVector<Operation *> &reachable) {
    for (Operation *producer : llvm::reverse(reachable))
      if (isOpTriviallyDead(producer))
        rewriter.eraseOp(producer);
  }

  /// Upstream's worklist misses the slices that its cleanup patterns make
  /// (a slice of a keepdim reduction's result bubbled up through the
  /// reshape that dropUnitDims left): once the fused originals are gone,
  /// the producers of every slice in `loops` get a second chance.
  void fuseTheRest(IRRewriter &rewriter, MutableArrayRef<LoopLikeOpInterface> loops,
                   const FrozenRewritePatternSet &cleanup) {
    llvm::SmallPtrSet<Operation *, 8> going;
    fuseProducersIntoLoops(rewriter, loops, slicesFromOutside(loops.front()), going, cleanup);
  }

  /// The slices inside `loop` of values computed before it.
  static SmallVector<Operation *> slicesFromOutside(Operation *loop) {
    SmallVector<Operation *> slices;
    loop->walk([&](tensor::ExtractSliceOp slice) {
      if (Operation *source = slice.getSource().getDefiningOp();
          source && !loop->isAncestor(source))
        slices.push_back(slice);
    });
    return slices;
  }

  /// Computes the tiles of `op` that consumer loops slice from it in those
  /// loops (slicesInConsumerLoops), and brings along each producer whose
  /// every use is then inside the loop or is what the op itself read.
  /// Returns whether the op is gone (every use was such a slice).
  bool fuseIntoConsumerLoops(IRRewriter &rewriter, TilingInterface op,
                             const FrozenRewritePatternSet &cleanup) {
    Region *region = op->getParentRegion();
    SmallVector<tensor::ExtractSliceOp> slices = slicesInConsumerLoops(op);
    if (slices.empty())
      return false;
    SetVector<Operation *> reachable = fusionCandidates(op);
    // When every use of the op is one of these slices, the op goes, and
    // what it read need not stay for it.
    llvm::SmallPtrSet<Operation *, 8> going;
    if (llvm::all_of(op->getUses(),
                     [&](OpOperand &use) { return llvm::is_contained(slices, use.getOwner()); }))
      going.insert(op);
    SmallVector<SmallVector<LoopLikeOpInterface>> fusedLoops;
    for (tensor::ExtractSliceOp slice : slices) {
      SmallVector<LoopLikeOpInterface> loops = loopsAround(slice, region);
      rewriter.setInsertionPoint(slice);
      std::optional<scf::SCFFuseProducerOfSliceResult> fused =
          scf::tileAndFuseProducerOfSlice(rewriter, slice, loops);
      // Not a token tile (a slice that splits heads or head_dim): the op
      // stays whole before the loop.
      if (!fused)
        continue;
      rewriter.eraseOp(slice);
      if (going.contains(op))
        fuseProducersIntoLoops(rewriter, loops, fused->generatedSlices, going, cleanup);
      fusedLoops.push_back(std::move(loops));
    }
    if (!op->use_empty())
      return false;
    rewriter.eraseOp(op);
    eraseDead(rewriter, reachable);
    for (SmallVector<LoopLikeOpInterface> &loops : fusedLoops)
      fuseTheRest(rewriter, loops, cleanup);
    return true;
  }

  /// Fuses into `loops` the producers of the slices in `worklist`, and of
  /// the slices that fusion makes in turn, whose every use is inside the
  /// loops or by an op in `going` (ops that will be erased); those join
  /// `going`. The cleanup
  /// patterns then bubble slices up through reshapes, and the slices they
  /// make get the same chance, for as long as something was fused.
  void fuseProducersIntoLoops(IRRewriter &rewriter, MutableArrayRef<LoopLikeOpInterface> loops,
                              ArrayRef<Operation *> slices,
                              llvm::SmallPtrSetImpl<Operation *> &going,
                              const FrozenRewritePatternSet &cleanup) {
    Operation *outerLoop = loops.front();
    SetVector<Operation *> worklist(slices.begin(), slices.end());
    bool fusedAny = true;
    while (fusedAny) {
      fusedAny = false;
      while (!worklist.empty()) {
        auto candidate = dyn_cast<tensor::ExtractSliceOp>(worklist.pop_back_val());
        if (!candidate)
          continue;
        Operation *producer = candidate.getSource().getDefiningOp();
        if (!isFusableProducer(producer) ||
            producer->getParentRegion() != outerLoop->getParentRegion() ||
            llvm::any_of(producer->getUsers(), [&](Operation *user) {
              return !going.contains(user) && !outerLoop->isAncestor(user);
            }))
          continue;
        rewriter.setInsertionPoint(candidate);
        std::optional<scf::SCFFuseProducerOfSliceResult> fused =
            scf::tileAndFuseProducerOfSlice(rewriter, candidate, loops);
        if (!fused)
          continue;
        fusedAny = true;
        rewriter.eraseOp(candidate);
        // Left for the dead-op sweeps: callers hold pointers to the
        // producers they may reach.
        going.insert(producer);
        worklist.insert(fused->generatedSlices.begin(), fused->generatedSlices.end());
      }
      for (Region &body : outerLoop->getRegions())
        (void)applyPatternsGreedily(body, cleanup);
      if (fusedAny)
        worklist.insert_range(slicesFromOutside(outerLoop));
    }
    // Inside the loop, each fused producer would write a tile buffer that
    // the next one reads back: elementwise producers are merged into their
    // consumer where both cover the same tile (the square into QK-norm's
    // sum, mean, eps and rsqrt into one, the scale into the weight), not
    // where the producer would be recomputed per broadcast element.
    for (Region &body : outerLoop->getRegions())
      (void)applyPatternsGreedily(body, *elementwiseFusion);
  }
};
} // namespace
