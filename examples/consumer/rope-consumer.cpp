//===- rope-consumer.cpp - a host compiler using rope-mlir's C++ API ------===//
//
// Reads a model graph, raises its rotary embeddings into rope ops and lowers
// everything through the CPU pipeline to the LLVM dialect, printing the
// number of rope ops after raising and the lowered module. It registers only
// what it uses (no registerAllDialects, no global pass registration): the
// proof that the installed package is usable on its own. With --gpu, lowers
// a module of rope ops through the GPU pipeline to PTX instead.
//
//===----------------------------------------------------------------------===//

#include "Rope/IR/RopeDialect.h"
#include "Rope/Pipelines/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
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

int main(int argc, char **argv) {
  if (argc == 3 && std::strcmp(argv[1], "--gpu") == 0)
    return lowerForGpu(argv[2]);
  if (argc != 2 && argc != 3) {
    llvm::errs() << "usage: rope-consumer <graph.mlir> [tokens per tile]\n"
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

  mlir::PassManager raise(&context);
  raise.addNestedPass<mlir::func::FuncOp>(mlir::rope::createRopeRaise());
  if (mlir::failed(raise.run(*module)))
    return 1;
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
