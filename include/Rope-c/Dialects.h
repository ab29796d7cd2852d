/*===- Dialects.h - C API of the rope dialect and its passes ------*- C -*-===*\
|*                                                                            *|
|* For C hosts (and bindings) over MLIR's C API, as upstream's dialect        *|
|* headers under mlir-c/Dialect: the dialect handle, the registration of the  *|
|* interface models and of what the CPU pipeline needs, and the passes and    *|
|* pipelines for mlirParsePassPipeline.                                       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ROPE_C_DIALECTS_H
#define ROPE_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mlirGetDialectHandle__rope__(): insert or load the rope dialect. */
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Rope, rope);

/* Adds the rope dialect's interface models (bufferization, convert-to-llvm)
 * to `registry`. */
MLIR_CAPI_EXPORTED void mlirRopeRegisterInterfaceModels(MlirDialectRegistry registry);

/* Adds the rope dialect, its models and every dialect and model of upstream
 * that --rope-cpu-pipeline needs to `registry`. */
MLIR_CAPI_EXPORTED void mlirRopeRegisterCpuPipelineDependencies(MlirDialectRegistry registry);

/* The same for --rope-gpu-pipeline (bufferization models, NVVM target model,
 * LLVM IR translations). */
MLIR_CAPI_EXPORTED void mlirRopeRegisterGpuPipelineDependencies(MlirDialectRegistry registry);

/* Registers the rope passes and the rope-cpu-pipeline / rope-gpu-pipeline
 * pipelines globally, so that mlirParsePassPipeline and
 * mlirOpPassManagerAddPipeline find them by name. */
MLIR_CAPI_EXPORTED void mlirRegisterRopePasses(void);

#ifdef __cplusplus
}
#endif

#endif /* ROPE_C_DIALECTS_H */
