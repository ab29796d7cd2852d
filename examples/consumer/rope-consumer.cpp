//===- rope-consumer.cpp - a host compiler using rope-mlir's C++ API ------===//
//
// Reads a model graph, raises its rotary embeddings into rope ops and lowers
// everything through the CPU pipeline to the LLVM dialect, printing the
// number of rope ops after raising and the lowered module. It registers only
// what it uses (no registerAllDialects, no global pass registration): the
// proof that the installed package is usable on its own. With --patterns, it
// raises with the public pattern sets in its own greedy driver instead of
// the rope-raise pass. With --gpu, lowers a module of rope ops through the
// GPU pipeline to PTX instead.
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeDialect.h"
#include "Rope/Pipelines/Passes.h"
#include "Rope/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>

/// Runs a built pipeline on `module` and prints the result; a pipeline the
/// builder refused is reported with its reason. The exit status.
static int runPipeline(mlir::PassManager &pm, mlir::ModuleOp module, mlir::LogicalResult built,
                       const std::string &error) {
  if (mlir::failed(built)) {
    llvm::errs() << "rope-consumer: " << error << "\n";
    return 1;
  }
  if (mlir::failed(pm.run(module)))
    return 1;
  module->print(llvm::outs());
  return 0;
}

/// `--gpu <module.mlir>`: the GPU pipeline (sm_90, PTX) on a module of rope
/// ops, with only what that pipeline needs registered.
static int lowerForGpu(const char *path) {
  mlir::DialectRegistry registry;
  mlir::rope::registerGpuPipelineDependencies(registry);
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceFile<mlir::ModuleOp>(path, &context);
  if (!module)
    return 1;
  mlir::PassManager lower(&context);
  mlir::rope::GpuPipelineOptions options;
  options.chip = "sm_90";
  options.format = "isa";
  std::string error;
  return runPipeline(lower, *module, mlir::rope::buildGpuPipeline(lower, options, error), error);
}

/// Raising as a host's own pass would do it with the public patterns: raise
/// in every function-like op, CSE (q's and k's positions views become one
/// value), then merge the sibling rotations. The dialects the rewrites
/// build in are loaded first, as a pass's dependent dialects would be.
static mlir::LogicalResult raiseWithPatterns(mlir::ModuleOp module) {
  mlir::MLIRContext *context = module.getContext();
  context->loadDialect<mlir::rope::RopeDialect, mlir::tensor::TensorDialect,
                       mlir::linalg::LinalgDialect, mlir::arith::ArithDialect,
                       mlir::complex::ComplexDialect>();
  mlir::RewritePatternSet raise(context), merge(context);
  mlir::rope::populateRaiseRotaryEmbeddingPatterns(raise);
  mlir::rope::populateMergeSiblingRotationsPatterns(merge);
  mlir::FrozenRewritePatternSet raisePatterns(std::move(raise)), mergePatterns(std::move(merge));
  mlir::WalkResult walked = module->walk([&](mlir::FunctionOpInterface function) {
    if (mlir::failed(mlir::applyPatternsGreedily(function, raisePatterns)))
      return mlir::WalkResult::interrupt();
    return mlir::WalkResult::skip();
  });
  if (walked.wasInterrupted())
    return mlir::failure();
  mlir::PassManager cse(context);
  cse.addPass(mlir::createCSEPass());
  if (mlir::failed(cse.run(module)))
    return mlir::failure();
  walked = module->walk([&](mlir::FunctionOpInterface function) {
    if (mlir::failed(mlir::applyPatternsGreedily(function, mergePatterns)))
      return mlir::WalkResult::interrupt();
    return mlir::WalkResult::skip();
  });
  return mlir::failure(walked.wasInterrupted());
}

int main(int argc, char **argv) {
  if (argc == 3 && std::strcmp(argv[1], "--gpu") == 0)
    return lowerForGpu(argv[2]);
  bool patterns = argc > 1 && std::strcmp(argv[1], "--patterns") == 0;
  if (patterns) {
    --argc;
    ++argv;
  }
  if (argc != 2 && argc != 3) {
    llvm::errs() << "usage: rope-consumer [--patterns] <graph.mlir> [tokens per tile]\n"
                 << "       rope-consumer --gpu <module.mlir>\n";
    return 2;
  }
  mlir::DialectRegistry registry;
  mlir::rope::registerCpuPipelineDependencies(registry);
  mlir::MLIRContext context(registry);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;

  if (patterns) {
    if (mlir::failed(raiseWithPatterns(*module)))
      return 1;
  } else {
    mlir::PassManager raise(&context);
    raise.addNestedPass<mlir::func::FuncOp>(mlir::rope::createRopeRaise());
    if (mlir::failed(raise.run(*module)))
      return 1;
  }
  int64_t ropeOps = 0;
  module->walk([&](mlir::Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "rope")
      ++ropeOps;
  });
  llvm::outs() << "rope ops after raising: " << ropeOps << "\n";

  mlir::PassManager lower(&context);
  mlir::rope::CpuPipelineOptions options;
  options.threads = true;
  if (argc == 3)
    options.tileSize = std::atoll(argv[2]);
  std::string error;
  return runPipeline(lower, *module, mlir::rope::buildCpuPipeline(lower, options, error), error);
}
