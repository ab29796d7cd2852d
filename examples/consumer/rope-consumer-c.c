/*===- rope-consumer-c.c - a C host using rope-mlir's C API ---------------===*\
|*                                                                            *|
|* The C side of examples/consumer: registers the rope dialect (through its   *|
|* handle) and what the CPU pipeline needs, registers the rope passes, and    *|
|* runs rope-raise then --rope-cpu-pipeline, named in a textual pipeline, on  *|
|* a model graph (--gpu: --rope-gpu-pipeline on a module of rope ops);        *|
|* prints the lowered module. Exit 1 on any error.                            *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "Rope-c/Dialects.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void printTo(MlirStringRef text, void *stream) {
  fwrite(text.data, 1, text.length, (FILE *)stream);
}

static char *readFile(const char *path, long *length) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *text = NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (*length = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    text = malloc((size_t)*length + 1);
    if (text && fread(text, 1, (size_t)*length, f) != (size_t)*length) {
      free(text);
      text = NULL;
    }
  }
  fclose(f);
  return text;
}

int main(int argc, char **argv) {
  /* --gpu: the GPU pipeline with its registrations; --gpu-cpu-registry: the
   * GPU pipeline with the CPU pipeline's registrations only (an error). */
  int gpu = argc == 3 && (strcmp(argv[1], "--gpu") == 0 || strcmp(argv[1], "--gpu-cpu-registry") == 0);
  if (argc != 2 && !gpu) {
    fprintf(stderr, "usage: rope-consumer-c [--gpu | --gpu-cpu-registry] <graph.mlir>\n");
    return 2;
  }
  const char *path = argv[argc - 1];
  long length = 0;
  char *text = readFile(path, &length);
  if (!text) {
    fprintf(stderr, "rope-consumer-c: cannot read %s\n", path);
    return 1;
  }

  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  if (gpu && strcmp(argv[1], "--gpu") == 0)
    mlirRopeRegisterGpuPipelineDependencies(registry);
  else
    mlirRopeRegisterCpuPipelineDependencies(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, /*threadingEnabled=*/false);
  mlirDialectRegistryDestroy(registry);
  MlirDialect rope = mlirDialectHandleLoadDialect(mlirGetDialectHandle__rope__(), context);
  printf("loaded dialect: ");
  printTo(mlirDialectGetNamespace(rope), stdout);
  printf("\n");

  int status = 1;
  MlirModule module = mlirModuleCreateParse(context, mlirStringRefCreate(text, (size_t)length));
  if (!mlirModuleIsNull(module)) {
    mlirRegisterRopePasses();
    MlirPassManager pm = mlirPassManagerCreate(context);
    MlirLogicalResult parsed = mlirParsePassPipeline(
        mlirPassManagerGetAsOpPassManager(pm),
        mlirStringRefCreateFromCString(
            gpu ? "builtin.module(rope-gpu-pipeline{chip=sm_90 format=isa})"
                : "builtin.module(func.func(rope-raise),rope-cpu-pipeline{threads=false})"),
        printTo, stderr);
    MlirOperation op = mlirModuleGetOperation(module);
    if (mlirLogicalResultIsSuccess(parsed) &&
        mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(pm, op))) {
      mlirOperationPrint(op, printTo, stdout);
      printf("\n");
      status = 0;
    }
    mlirPassManagerDestroy(pm);
    mlirModuleDestroy(module);
  }
  mlirContextDestroy(context);
  free(text);
  return status;
}
