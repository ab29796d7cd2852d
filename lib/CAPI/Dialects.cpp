//===- Dialects.cpp - C API of the rope dialect and its passes ------------===//

#include "Rope-c/Dialects.h"

#include "Rope/IR/RopeDialect.h"
#include "Rope/Pipelines/Passes.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Rope, rope, mlir::rope::RopeDialect)

void mlirRopeRegisterInterfaceModels(MlirDialectRegistry registry) {
  mlir::rope::registerRopeInterfaceModels(*unwrap(registry));
}

void mlirRopeRegisterCpuPipelineDependencies(MlirDialectRegistry registry) {
  mlir::rope::registerCpuPipelineDependencies(*unwrap(registry));
}

void mlirRopeRegisterGpuPipelineDependencies(MlirDialectRegistry registry) {
  mlir::rope::registerGpuPipelineDependencies(*unwrap(registry));
}

void mlirRegisterRopePasses(void) { mlir::rope::registerRopePassesAndPipelines(); }
