//===- RopePlugin.cpp - rope dialect and passes for the stock mlir-opt ----===//

#include "Rope/Pipelines/Passes.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

using namespace mlir;

extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Rope", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            rope::registerRopeDialect(*registry);
            rope::registerRopeInterfaceModels(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "RopePasses", LLVM_VERSION_STRING,
          []() { rope::registerRopePassesAndPipelines(); }};
}
