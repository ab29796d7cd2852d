//===- rope-opt.cpp - mlir-opt with the rope dialect and passes -----------===//

#include "Rope/IR/RopeDialect.h"
#include "Rope/Pipelines/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::rope::registerRopePassesAndPipelines();
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
