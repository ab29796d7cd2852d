//===- rope-opt.cpp - mlir-opt with the rope dialect and passes -----------===//

#include "Rope/Pipelines/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#ifdef ROPE_MLIR_INCLUDE_TESTS
// Defined in test/lib, which has no headers (as mlir-opt declares MLIR's).
namespace mlir::rope::test {
void registerTestEmulateGpuLaunchPass();
void registerTestRopePatternsPass();
} // namespace mlir::rope::test

static void registerTestPasses() {
  mlir::rope::test::registerTestEmulateGpuLaunchPass();
  mlir::rope::test::registerTestRopePatternsPass();
}
#endif

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::rope::registerRopePassesAndPipelines();
#ifdef ROPE_MLIR_INCLUDE_TESTS
  registerTestPasses();
#endif
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates GPU modules to LLVM IR.
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  mlir::rope::registerRopeDialect(registry);
  mlir::rope::registerRopeInterfaceModels(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "rope-opt: the rope dialect's optimizer driver\n", registry));
}
